using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Connectors.Bitrix24.Bitrix24Rig;

namespace PbxHub.IntegrationTests.Connectors.Bitrix24;

/// <summary>
/// The one <c>finish</c> Bitrix24 takes per call: sent once the call has been quiet for <c>Bitrix24:SettleFor</c>
/// (default 5 s), from the record as it is then, however the provider's events came (docs/connectors.md).
/// </summary>
public sealed class Bitrix24FinishTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Deliver_HangUpBeforeTheAnswer_OneFinishAnsweredWithTheTalkSecondsForWhoAnswered()
    {
        var (time, rig) = await StartAsync();
        await using var _ = rig;
        const string id = "late-answer";
        // 101's leg gives up as 102 answers; the provider delivers 101's hang-up first: the call looks missed and ended.
        var (start, callId) = await RungAndGivenUpAsync(time, rig, id);
        await rig.Hub.DispatcherIdleAsync();

        // Two seconds later the rest arrives, 102's hang-up before its ring and answer.
        rig.Hub.Advance(time, TimeSpan.FromSeconds(2));
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
        [
            SipuniHooks.HangUp(id, Client, "102", "ANSWER", start, start + 5, start + 35),
            SipuniHooks.Ring(id, Client, "102", start),
            SipuniHooks.Answer(id, Client, "102", start + 5),
        ]);
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/calls/{callId}", c => c.GetProperty("outcome").GetString() == Outcomes.Answered, "the call answered");
        await rig.Hub.DispatcherIdleAsync();
        Assert.DoesNotContain(rig.AcceptedFor(callId), r => Short(r) == "finish");

        rig.Hub.Advance(time, Window);
        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(callId).Any(r => Short(r) == "finish"), "the call finished after the window");
        await rig.Hub.DispatcherIdleAsync();

        var steps = rig.AcceptedFor(callId);
        Assert.Equal(["register", "show", "hide", "finish"], steps.Select(Short));
        Assert.Single(rig.Portal.Calls);
        var finish = steps[^1];
        Assert.Equal(7, (int)P(finish, "USER_ID")!);
        Assert.Equal("200", (string?)P(finish, "STATUS_CODE"));
        Assert.Equal(30, (int)P(finish, "DURATION")!);
        Assert.Null(P(finish, "FAILED_REASON"));
        Assert.Equal("[5]", P(steps[2], "USER_ID")!.ToJsonString());
    }

    [Fact]
    public async Task Deliver_MissedCall_FinishedAsMissedOnceTheWindowHasPassed()
    {
        var (time, rig) = await StartAsync();
        await using var _ = rig;
        var callId = StableIds.CallId(HubServer.AccountId, "missed-settle");
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("missed-settle", Client, Line, "101", time.GetUtcNow().ToUnixTimeSeconds()));
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/calls/{callId}", c => c.GetProperty("state").GetString() == CallStates.Ended, "the call ended");

        rig.Hub.Advance(time, Window - TimeSpan.FromSeconds(1));
        await rig.Hub.DispatcherIdleAsync();
        Assert.Equal(["register", "show"], rig.AcceptedFor(callId).Select(Short));

        rig.Hub.Advance(time, TimeSpan.FromSeconds(1));
        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(callId).Any(r => Short(r) == "finish"), "the call finished as soon as the window passed");
        var finish = rig.AcceptedFor(callId)[^1];
        Assert.Equal(1, (int)P(finish, "USER_ID")!);
        Assert.Equal("304", (string?)P(finish, "STATUS_CODE"));
        Assert.Equal("missed", (string?)P(finish, "FAILED_REASON"));
        using var connector = await rig.Hub.Client.GetJsonAsync($"/api/v1/connectors/{ConnectorId}");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, connector.RootElement.GetProperty("failingSince").ValueKind);
    }

    [Fact]
    public async Task Deliver_CallChangesAfterItsFinish_NoSecondFinishAndTheChangeNotedOnce()
    {
        var (time, rig) = await StartAsync();
        await using var _ = rig;
        const string id = "after-finish";
        var (start, callId) = await RungAndGivenUpAsync(time, rig, id);
        rig.Hub.Advance(time, Window);
        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(callId).Any(r => Short(r) == "finish"), "the call finished as missed");

        // Later than any window: the answer by 102 arrives once Bitrix24 has the call as missed.
        rig.Hub.Advance(time, TimeSpan.FromMinutes(1));
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
        [
            SipuniHooks.Ring(id, Client, "102", start),
            SipuniHooks.Answer(id, Client, "102", start + 5),
            SipuniHooks.HangUp(id, Client, "102", "ANSWER", start, start + 5, start + 35),
        ]);
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/calls/{callId}", c => c.GetProperty("outcome").GetString() == Outcomes.Answered, "the call answered");
        await rig.Hub.DispatcherIdleAsync();

        Assert.Equal(["register", "show", "finish"], rig.AcceptedFor(callId).Select(Short));
        Assert.Equal("304", (string?)P(rig.AcceptedFor(callId)[^1], "STATUS_CODE"));
        using var deliveries = await rig.Hub.Client.GetJsonAsync($"/api/v1/connectors/{ConnectorId}/deliveries");
        var notes = deliveries.RootElement.GetProperty("items").EnumerateArray()
            .SelectMany(d => d.GetProperty("attemptLog").EnumerateArray())
            .Select(a => a.GetProperty("response").GetString())
            .Where(r => r?.Contains("Bitrix24 takes no second finish", StringComparison.Ordinal) == true).ToList();
        Assert.Contains("finish already sent as 304 0 s, the call is now 200 30 s", Assert.Single(notes), StringComparison.Ordinal);
    }

    /// <summary>A call rung to 101, who gave up after 5 s: as far as the hub knows it ended missed.</summary>
    private static async Task<(long Start, string CallId)> RungAndGivenUpAsync(FakeTimeProvider time, Bitrix24Rig rig, string id)
    {
        var start = time.GetUtcNow().ToUnixTimeSeconds();
        var callId = StableIds.CallId(HubServer.AccountId, id);
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
        [
            SipuniHooks.Arrival(id, Client, Line, start),
            SipuniHooks.Ring(id, Client, "101", start),
            SipuniHooks.HangUp(id, Client, "101", "NOANSWER", start, 0, start + 5),
        ]);
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/calls/{callId}", c => c.GetProperty("outcome").GetString() == Outcomes.Missed, "the call ended as missed");
        return (start, callId);
    }

    private static async Task<(FakeTimeProvider Time, Bitrix24Rig Rig)> StartAsync()
    {
        var time = FakeClock.New();
        return (time, await Bitrix24Rig.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time)));
    }
}
