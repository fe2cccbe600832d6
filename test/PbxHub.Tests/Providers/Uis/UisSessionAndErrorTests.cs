using Microsoft.Extensions.Time.Testing;
using PbxHub.Providers;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Tests.Providers.Uis;

/// <summary>Session keys, the error table and timeouts, against the UIS stand-in over real HTTP.</summary>
public sealed class UisSessionAndErrorTests
{
    private static readonly PlaceCallInput Call = new(["79164572521"], "74959891628", []);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly Dictionary<string, string?> TimeoutSetting = new() { ["PbxHub:Outbound:RequestTimeout"] = "00:05:00" };
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2024, 3, 1, 9, 0, 0, TimeSpan.Zero));

    private static string[] Methods(EmulatorHost uis) =>
        uis.Requests.Select(r => (string?)System.Text.Json.Nodes.JsonNode.Parse(r.Body)!["method"] ?? "").ToArray();

    [Fact]
    public async Task PlaceCall_TwiceWithinTheHour_AuthenticatesOnce()
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);
        var account = UisFixture.Account(uis);

        Assert.IsType<OutboundOutcome.Placed>(await harness.For("uis").PlaceCallAsync(account, Call, CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.IsType<OutboundOutcome.Placed>(await harness.For("uis").PlaceCallAsync(account, Call, CancellationToken.None));

        Assert.Equal(["authenticate", "place_calls", "place_calls"], Methods(uis));
    }

    [Fact]
    public async Task PlaceCall_KeyNearTheEndOfItsHour_IsRenewedBeforeTheCall()
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);
        var account = UisFixture.Account(uis);

        await harness.For("uis").PlaceCallAsync(account, Call, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(56));
        Assert.IsType<OutboundOutcome.Placed>(await harness.For("uis").PlaceCallAsync(account, Call, CancellationToken.None));

        Assert.Equal(["authenticate", "place_calls", "authenticate", "place_calls"], Methods(uis));
    }

    [Fact]
    public async Task PlaceCall_ProviderExpiredTheKeyEarly_ReauthenticatesOnceAndRepeats()
    {
        await using var uis = await UisFixture.StartAsync(time, sessionLifetime: TimeSpan.FromMinutes(10));
        using var harness = new OutboundHarness(time);
        var account = UisFixture.Account(uis);

        await harness.For("uis").PlaceCallAsync(account, Call, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(15));
        var outcome = await harness.For("uis").PlaceCallAsync(account, Call, CancellationToken.None);

        var placed = Assert.IsType<OutboundOutcome.Placed>(outcome);
        Assert.Equal(["authenticate", "place_calls", "place_calls", "authenticate", "place_calls"], Methods(uis));
        Assert.Contains("-32005", placed.Exchanges[0].Answered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-32002)]
    [InlineData(-32005)]
    public async Task PlaceCall_KeyRefusedAgainAfterRenewal_GivesUpAfterExactlyOneReauthentication(int code)
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);
        var client = UisEmulator.ErrorPrefix + (-code).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var outcome = await harness.For("uis").PlaceCallAsync(UisFixture.Account(uis), Call with { Client = client }, CancellationToken.None);

        var failed = Assert.IsType<OutboundOutcome.Failed>(outcome);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), failed.Problem.ProviderCode);
        Assert.Equal(["authenticate", "place_calls", "authenticate", "place_calls"], Methods(uis));
    }

    public static TheoryData<int, int, string, string> ErrorTable => new()
    {
        { -32001, 502, "IP address error", "list of allowed addresses" },
        { -32002, 502, "Authentication error", "new session key once" },
        { -32003, 502, "Permission denied", "service number" },
        { -32004, 429, "Limit is exceeded", "raise the limits" },
        { -32005, 502, "Session key has expired", "new session key once" },
        { -32600, 502, "Invalid Request", "PbxHub fault" },
        { -32601, 502, "Method not found", "API version" },
        { -32602, 422, "Invalid params", "add the missing ones" },
        { -32603, 502, "Internal error", "contact UIS support" },
        { -32700, 502, "Parse error", "PbxHub fault" },
    };

    [Theory]
    [MemberData(nameof(ErrorTable))]
    public async Task PlaceCall_ProviderError_MapsToProblemWithCodeMessageDataAndRemedy(int code, int status, string message, string remedy)
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);
        var client = UisEmulator.ErrorPrefix + (-code).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var outcome = await harness.For("uis").PlaceCallAsync(UisFixture.Account(uis), Call with { Client = client }, CancellationToken.None);

        var problem = Assert.IsType<OutboundOutcome.Failed>(outcome).Problem;
        Assert.Equal(status, problem.Status);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.ProviderCode);
        Assert.Equal(message, problem.ProviderMessage);
        Assert.Equal($"reproduced on demand for numa {client}", (string?)problem.ProviderData);
        Assert.Contains(remedy, problem.Remedy, StringComparison.Ordinal);
        Assert.Contains(message, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(code == -32603, problem.MayHaveBeenPlaced);
    }

    [Fact]
    public async Task PlaceCall_ResultFail_IsAFailureNotASuccess()
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);

        var outcome = await harness.For("uis").PlaceCallAsync(UisFixture.Account(uis), Call with { Client = UisEmulator.FailingClient }, CancellationToken.None);

        var problem = Assert.IsType<OutboundOutcome.Failed>(outcome).Problem;
        Assert.Equal(502, problem.Status);
        Assert.Equal("fail", problem.ProviderMessage);
    }

    [Fact]
    public async Task PlaceCall_WrongPassword_IsPermissionDeniedAndNoCallIsSent()
    {
        await using var uis = await UisFixture.StartAsync(time);
        using var harness = new OutboundHarness(time);

        var outcome = await harness.For("uis").PlaceCallAsync(UisFixture.Account(uis, password: "wrong"), Call, CancellationToken.None);

        var problem = Assert.IsType<OutboundOutcome.Failed>(outcome).Problem;
        Assert.Equal("-32003", problem.ProviderCode);
        Assert.Equal(["authenticate"], Methods(uis));
    }

    [Fact]
    public async Task PlaceCall_AnswerASecondBeforeTheTimeout_IsPlaced()
    {
        await using var uis = await UisFixture.StartAsync(time, slowDelay: Timeout - TimeSpan.FromSeconds(1));
        using var harness = new OutboundHarness(time, TimeoutSetting);

        var placing = harness.For("uis").PlaceCallAsync(UisFixture.Account(uis), Call with { Client = UisEmulator.SlowClient }, CancellationToken.None);
        await UntilAsync(() => Methods(uis).Contains("place_calls"), "place_calls reached UIS");
        time.Advance(Timeout - TimeSpan.FromSeconds(1));

        Assert.IsType<OutboundOutcome.Placed>(await placing.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["authenticate", "place_calls"], Methods(uis));
    }

    [Fact]
    public async Task PlaceCall_NoAnswerInTime_IsNotRetriedAndSaysTheCallMayHaveBeenPlaced()
    {
        await using var uis = await UisFixture.StartAsync(time, slowDelay: TimeSpan.FromHours(1));
        using var harness = new OutboundHarness(time, TimeoutSetting);

        var placing = harness.For("uis").PlaceCallAsync(UisFixture.Account(uis), Call with { Client = UisEmulator.SlowClient }, CancellationToken.None);
        await UntilAsync(() => Methods(uis).Contains("place_calls"), "place_calls reached UIS");
        // The clock moves once, past the timeout: a retry would wait for a delay of its own on this clock, so the
        // outcome can only come (within the real 30 s, well under the 5 min timeout) if place_calls was sent once.
        time.Advance(Timeout);
        if (await Task.WhenAny(placing, Task.Delay(TimeSpan.FromSeconds(30))) != placing)
        {
            for (var i = 0; i < 10 && !placing.IsCompleted; i++)
            {
                time.Advance(TimeSpan.FromHours(1)); // lets whatever still waits on the clock end before the stand-in stops
                await Task.Delay(100);
            }

            Assert.Fail($"no outcome right after the timeout: place_calls was retried ({Methods(uis).Count(m => m == "place_calls")} seen)");
        }

        var outcome = await placing;

        var problem = Assert.IsType<OutboundOutcome.Failed>(outcome).Problem;
        Assert.Equal(504, problem.Status);
        Assert.True(problem.MayHaveBeenPlaced);
        Assert.Contains("may or may not have been placed", problem.Remedy, StringComparison.Ordinal);
        Assert.Equal(["authenticate", "place_calls"], Methods(uis));
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), $"timed out waiting until {what}");
    }
}
