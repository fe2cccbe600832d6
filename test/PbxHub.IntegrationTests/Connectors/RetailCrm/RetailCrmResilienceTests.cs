using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Connectors.RetailCrm.RetailCrmRig;

namespace PbxHub.IntegrationTests.Connectors.RetailCrm;

/// <summary>Shuffled and duplicated traffic, calls ending together, the system down, its key refused.</summary>
public sealed class RetailCrmResilienceTests
{
    [Fact]
    public async Task Deliver_ShuffledAndDuplicatedHooks_ExactlyOneUploadPerCallWithItsFinalFacts()
    {
        // The hub's clock stands still while the shuffled requests arrive, however long a loaded machine takes to send
        // them: the calls settle when the test moves it, so none is uploaded before its last request (that late-event
        // case, docs/connectors.md#finish-and-late-events, is not what this test is about).
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_003_600));
        await using var rig = await StartFakeTimeAsync(time);
        var start = 1_764_000_000L;
        var answered = Enumerable.Range(0, 4).Select(i => $"shuffled-a{i}").ToList();
        var missed = Enumerable.Range(0, 3).Select(i => $"shuffled-m{i}").ToList();
        var hooks = answered.SelectMany((id, i) => RetailCrmConnectorTests.TwoEmployeesSecondAnswers(id, start + (i * 100)))
            .Concat(missed.SelectMany((id, i) => SipuniHooks.MissedInbound(id, "8916000000" + i, Line, "101", start + (i * 100))))
            .ToList();
        var random = new Random(20261204);
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, hooks.Concat(hooks).OrderBy(_ => random.Next()));
        var ids = answered.Concat(missed).Select(id => StableIds.CallId(HubServer.AccountId, id)).ToList();
        foreach (var (id, outcome) in ids.Select((id, i) => (id, i < answered.Count ? Outcomes.Answered : Outcomes.Missed)))
        {
            await rig.Hub.Client.WaitForJsonAsync($"/api/v1/calls/{id}", c => c.Str("state") == CallStates.Ended && c.Str("outcome") == outcome,
                $"{id} ended with its final outcome");
        }

        // Not quiet for SettleFor (1 s) yet on the hub's clock: nothing uploaded, whatever order the requests came in.
        await rig.Hub.DispatcherIdleAsync();
        Assert.Empty(rig.System.Calls);
        rig.Hub.Advance(time, TimeSpan.FromSeconds(2));
        await Webhooks.WaitUntilAsync(() => ids.All(id => rig.UploadsOf(id).Count == 1), "every call uploaded", seconds: 60);
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}/deliveries?limit=1000",
            l => l.GetProperty("items").EnumerateArray().All(d => d.Str("state") == "delivered"), "every delivery done");

        Assert.Equal(ids.Count, rig.System.Calls.Count);
        Assert.DoesNotContain(rig.System.Requests, r => r.Method == "telephony/calls/upload" && r.Error is not null);
        Assert.All(ids, id => Assert.Single(rig.EventsOf(id), e => (string?)e["type"] == "hangup"));
        Assert.All(answered, id =>
        {
            var call = rig.UploadsOf(StableIds.CallId(HubServer.AccountId, id)).Single();
            Assert.Equal(("answered", 30, "102"), ((string?)call["result"], (int)call["duration"]!, (string?)call["code"]));
        });
        Assert.All(missed, id => Assert.Equal("no answer", (string?)rig.UploadsOf(StableIds.CallId(HubServer.AccountId, id)).Single()["result"]));
    }

    [Fact]
    public async Task Deliver_SixtyCallsEndingTogether_GatheredInUploadsOfAtMostFifty()
    {
        await using var rig = await RetailCrmRig.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Connectors:0:RetailCrm:UploadWindow"] = "00:00:03",
            ["PbxHub:Delivery:MaxConcurrencyPerSubscription"] = "100",
        });
        var start = 1_764_000_000L;
        var ids = Enumerable.Range(0, 60).Select(i => $"together-{i}").ToList();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
            ids.SelectMany((id, i) => SipuniHooks.MissedInbound(id, $"891600{i:D5}", Line, "101", start)));

        await Webhooks.WaitUntilAsync(() => rig.System.Calls.Count == 60, "the 60 calls uploaded", seconds: 60);
        var uploads = rig.UploadRequests;
        Assert.All(uploads, u => Assert.InRange(u.Count, 1, 50));
        Assert.True(uploads.Count < 60 && uploads.Any(u => u.Count > 1), $"uploads of {string.Join(", ", uploads.Select(u => u.Count))} calls");
        Assert.Equal(60, uploads.Sum(u => u.Count));
        Assert.DoesNotContain(rig.System.Requests, r => r.Error is not null);
        // The hub records each attempt once RetailCRM's answer is back, a moment after the stand-in has the calls.
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}/deliveries?limit=1000",
            l => l.GetProperty("items").EnumerateArray().SelectMany(d => d.GetProperty("attemptLog").EnumerateArray())
                .Any(a => a.Str("response")?.Contains("calls in the request)", StringComparison.Ordinal) == true),
            "the delivery log naming a gathered upload");
    }

    [Fact]
    public async Task Deliver_SystemDownThenUp_EveryCallUploadedOnceAfterwards()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_000_000));
        await using var rig = await StartFakeTimeAsync(time);
        rig.System.Down = true;
        var start = time.GetUtcNow().ToUnixTimeSeconds();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
            RetailCrmConnectorTests.TwoEmployeesSecondAnswers("down-1", start).Concat(SipuniHooks.MissedInbound("down-2", "89169999999", Line, "102", start)));
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}", c => c.GetProperty("failingSince").ValueKind != System.Text.Json.JsonValueKind.Null, "the connector failing");
        for (var i = 0; i < 12; i++)
        {
            rig.Hub.Advance(time, TimeSpan.FromMinutes(5));
            await rig.Hub.DispatcherIdleAsync();
        }

        Assert.Empty(rig.System.Requests);
        Assert.True(rig.Emulator.Host.Requests.Count(r => r.Path.StartsWith("/api/v5/", StringComparison.Ordinal)) > 2, "no retry while the system was down");

        rig.System.Down = false;
        var one = StableIds.CallId(HubServer.AccountId, "down-1");
        var two = StableIds.CallId(HubServer.AccountId, "down-2");
        // Once past the schedule's next retry (the last failed try came at most 50 min in, the next one at most 2 h + 20 %
        // later): a clock moved per poll would move while a request is on its way.
        rig.Hub.Advance(time, TimeSpan.FromHours(4));
        await Webhooks.WaitUntilAsync(() => rig.UploadsOf(one).Count == 1 && rig.UploadsOf(two).Count == 1, "both calls uploaded after the system came back", seconds: 60);
        await rig.Hub.DispatcherIdleAsync();
        Assert.Equal(["in 101", "in 102", "hangup 102"], rig.EventsOf(one).Select(Short));
        Assert.Equal(["in 102", "hangup 102"], rig.EventsOf(two).Select(Short));
        Assert.Equal(2, rig.System.Calls.Count);
    }

    [Fact]
    public async Task Deliver_ApiKeyRefusedThenFixed_LogSaysWhyThenDeliveredOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_000_000));
        await using var rig = await StartFakeTimeAsync(time);
        var key = rig.System.Options.ApiKey;
        rig.System.Options.ApiKey = "a-key-regenerated-in-retailcrm";
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("key-1", Client, Line, "101", time.GetUtcNow().ToUnixTimeSeconds()));

        await rig.Hub.Client.WaitForJsonAsync(
            $"/api/v1/connectors/{ConnectorId}/deliveries",
            l => l.GetProperty("items").EnumerateArray().Any(d => d.GetProperty("attemptLog").EnumerateArray()
                .Any(a => a.Str("error")?.Contains("the API key was refused (check RetailCrm:ApiKey", StringComparison.Ordinal) == true)),
            "the delivery log says the key was refused");
        Assert.All(rig.System.Requests, r => Assert.Equal(PbxHub.Simulation.Emulators.RetailCrmSystem.WrongKey, r.Error));

        // The key is valid again (in RetailCRM here; the same as fixing RetailCrm:ApiKey): the retries go through, each step once.
        rig.System.Options.ApiKey = key;
        var callId = StableIds.CallId(HubServer.AccountId, "key-1");
        // Once past the retry (5 s + 20 % after the refused try; the clock stood still since): not while a request is on its way.
        rig.Hub.Advance(time, TimeSpan.FromMinutes(6));
        await Webhooks.WaitUntilAsync(() => rig.UploadsOf(callId).Count == 1, "the call uploaded once the key was accepted", seconds: 60);
        await rig.Hub.DispatcherIdleAsync();
        Assert.Equal(["in 101", "hangup 101"], rig.EventsOf(callId).Select(Short));
    }

    [Fact]
    public async Task Deliver_RequestLimit_RetriedThrottledThenDelivered()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_000_000));
        await using var rig = await StartFakeTimeAsync(time);
        rig.System.LimitNext(1);
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("limited", Client, Line, "101", time.GetUtcNow().ToUnixTimeSeconds()));
        await Webhooks.WaitUntilAsync(() => rig.System.Requests.Any(r => r.Status == 503), "the limit hit");

        // Throttled: no new try within the next 50 s.
        rig.Hub.Advance(time, TimeSpan.FromSeconds(50));
        await rig.Hub.DispatcherIdleAsync();
        Assert.Single(rig.System.Requests);
        var callId = StableIds.CallId(HubServer.AccountId, "limited");
        // Once past the throttled retry (a minute after the try, 50 s of which have passed): not while a request is on its way.
        rig.Hub.Advance(time, TimeSpan.FromSeconds(15));
        await Webhooks.WaitUntilAsync(() => rig.UploadsOf(callId).Count == 1, "the call uploaded after backing off");
    }

    /// <summary>On a fake clock the upload window is zero: a batch's timer would otherwise wait for the clock to move.</summary>
    private static Task<RetailCrmRig> StartFakeTimeAsync(FakeTimeProvider time) => RetailCrmRig.StartAsync(
        new Dictionary<string, string> { ["PbxHub:Connectors:0:RetailCrm:UploadWindow"] = "00:00:00" },
        b => b.Services.AddSingleton<TimeProvider>(time));
}
