using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;
using static PbxHub.IntegrationTests.Connectors.Bitrix24.Bitrix24Rig;

namespace PbxHub.IntegrationTests.Connectors.Bitrix24;

/// <summary>Expired tokens, forged events, a portal down, the query limit, and shuffled or replayed traffic.</summary>
public sealed class Bitrix24ResilienceTests
{
    private static readonly string[] TwoEmployeeSteps = ["register", "show", "show", "hide", "finish", "attachRecord"];

    [Fact]
    public async Task Deliver_TokenExpiresMidCall_OneRefreshNoStepLost()
    {
        await using var rig = await Bitrix24Rig.StartAsync();
        var hooks = Bitrix24ConnectorTests.TwoEmployeesSecondAnswers("expiring", 1_764_000_000L);
        var callId = StableIds.CallId(HubServer.AccountId, "expiring");
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, hooks.Take(3));
        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(callId).Count(r => Short(r) == "show") == 2, "both employees shown");

        rig.Portal.ExpireToken();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, hooks.Skip(3));

        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(callId).Any(r => Short(r) == "attachRecord"), "the recording attached");
        Assert.Equal(TwoEmployeeSteps, rig.AcceptedFor(callId).Select(Short));
        Assert.Equal(1, rig.Portal.Refreshes);
        Assert.Single(rig.Portal.Requests, r => r.Error == "expired_token");
    }

    [Fact]
    public async Task Events_ForgedApplicationToken_RefusedAndNothingDone()
    {
        await using var rig = await Bitrix24Rig.StartAsync();
        using var http = new HttpClient();

        using var click = await rig.Emulator.ClickAsync(http, rig.EventsUrl, 5, "79161234567", applicationToken: "forged-token");
        using var uninstall = await Bitrix24Emulator.SendEventAsync(http, rig.Portal, rig.Emulator.BaseUrl, rig.EventsUrl, "ONAPPUNINSTALL", [], "forged-token");

        Assert.Equal(HttpStatusCode.Unauthorized, click.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, uninstall.StatusCode);
        using var requests = await rig.Hub.Client.GetJsonAsync("/api/v1/calls/requests");
        Assert.Empty(requests.RootElement.GetProperty("items").EnumerateArray());
        // Still installed: a call goes through with the tokens ONAPPINSTALL gave.
        using var connector = await rig.Hub.Client.GetJsonAsync($"/api/v1/connectors/{ConnectorId}");
        Assert.True(connector.RootElement.GetProperty("installed").GetBoolean());
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("after-forged", Client, Line, "101", 1_764_000_000L));
        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(StableIds.CallId(HubServer.AccountId, "after-forged")).Any(r => Short(r) == "finish"), "the call finished");
    }

    [Fact]
    public async Task Deliver_PortalDownThenUp_EveryStepDeliveredInOrder()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_000_000));
        await using var rig = await Bitrix24Rig.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        rig.Portal.Down = true;
        var start = time.GetUtcNow().ToUnixTimeSeconds();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
            Bitrix24ConnectorTests.TwoEmployeesSecondAnswers("down-1", start).Concat(SipuniHooks.MissedInbound("down-2", "89169999999", Line, "102", start)));
        await Webhooks.WaitUntilAsync(() => rig.Emulator.Host.Requests.Count(r => r.Path.StartsWith("/rest/", StringComparison.Ordinal)) >= 2, "the portal tried while down");
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}", c => c.GetProperty("failingSince").ValueKind != System.Text.Json.JsonValueKind.Null, "the connector failing");

        // An hour down: every retry of the schedule's first steps is made (the dispatcher idle as of each moment) and
        // fails, then the portal is back.
        var triedBefore = rig.Emulator.Host.Requests.Count(r => r.Path.StartsWith("/rest/", StringComparison.Ordinal));
        for (var i = 0; i < 12; i++)
        {
            rig.Hub.Advance(time, TimeSpan.FromMinutes(5));
            await rig.Hub.DispatcherIdleAsync();
        }

        Assert.True(rig.Emulator.Host.Requests.Count(r => r.Path.StartsWith("/rest/", StringComparison.Ordinal)) > triedBefore, "no retry while the portal was down");

        rig.Portal.Down = false;
        var one = StableIds.CallId(HubServer.AccountId, "down-1");
        var two = StableIds.CallId(HubServer.AccountId, "down-2");
        // Once past the schedule's next retry (the last failed try came at most 50 min in, the next one at most 2 h + 20 %
        // later): a clock moved per poll would move while a request is on its way.
        rig.Hub.Advance(time, TimeSpan.FromHours(4));
        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(one).Any(r => Short(r) == "attachRecord") && rig.AcceptedFor(two).Any(r => Short(r) == "finish"),
            "both calls delivered after the portal came back", seconds: 60);
        Assert.Equal(TwoEmployeeSteps, rig.AcceptedFor(one).Select(Short));
        Assert.Equal(["register", "show", "finish"], rig.AcceptedFor(two).Select(Short));
    }

    [Fact]
    public async Task Deliver_QueryLimitExceeded_BacksOffThenDelivers()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_000_000));
        await using var rig = await Bitrix24Rig.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        rig.Portal.LimitNext(1);
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("limited", Client, Line, "101", time.GetUtcNow().ToUnixTimeSeconds()));
        var callId = StableIds.CallId(HubServer.AccountId, "limited");
        await Webhooks.WaitUntilAsync(() => rig.Portal.Requests.Any(r => r.Error == "QUERY_LIMIT_EXCEEDED"), "the limit hit");

        // Backing off means no new try within the next 50 s (a throttled retry waits at least a minute): once the
        // dispatcher has looked as of then and has nothing in flight, the portal has still been asked only once.
        rig.Hub.Advance(time, TimeSpan.FromSeconds(50));
        await rig.Hub.DispatcherIdleAsync();
        Assert.Single(rig.Portal.Requests);
        // Once past the throttled retry (a minute after the try, 50 s of which have passed): not while a request is on its way.
        rig.Hub.Advance(time, TimeSpan.FromSeconds(15));
        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(callId).Any(r => Short(r) == "finish"), "the call delivered after backing off");
        Assert.Equal(["register", "show", "finish"], rig.AcceptedFor(callId).Select(Short));
    }

    [Fact]
    public async Task Deliver_ShuffledDuplicatedAndReplayed_ExactlyOneRegisteredCallPerCall()
    {
        // The hub's clock stands still while the shuffled requests arrive, however long a loaded machine takes to send
        // them: the calls settle when the test moves it, so none is finished before its last request (that late-event
        // case, docs/connectors.md#finish-and-late-events, is Bitrix24FinishTests').
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_003_600));
        await using var rig = await Bitrix24Rig.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var start = 1_764_000_000L;
        var answered = Enumerable.Range(0, 4).Select(i => $"shuffled-a{i}").ToList();
        var missed = Enumerable.Range(0, 3).Select(i => $"shuffled-m{i}").ToList();
        var hooks = answered.SelectMany((id, i) => Bitrix24ConnectorTests.TwoEmployeesSecondAnswers(id, start + (i * 100)))
            .Concat(missed.SelectMany((id, i) => SipuniHooks.MissedInbound(id, "8916000000" + i, Line, "101", start + (i * 100))))
            .ToList();
        var random = new Random(20261203);
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, hooks.Concat(hooks).OrderBy(_ => random.Next()));
        var ids = answered.Concat(missed).Select(id => StableIds.CallId(HubServer.AccountId, id)).ToList();
        foreach (var (id, outcome) in ids.Select((id, i) => (id, i < answered.Count ? Outcomes.Answered : Outcomes.Missed)))
        {
            await rig.Hub.Client.WaitForJsonAsync($"/api/v1/calls/{id}", c => c.Str("state") == CallStates.Ended && c.Str("outcome") == outcome,
                $"{id} ended with its final outcome");
        }

        // Not quiet for SettleFor (5 s) yet on the hub's clock: no call finished, whatever order the requests came in.
        await rig.Hub.DispatcherIdleAsync();
        Assert.DoesNotContain(rig.Portal.Accepted, r => Short(r) == "finish");
        rig.Hub.Advance(time, TimeSpan.FromSeconds(6));
        await Webhooks.WaitUntilAsync(() => ids.All(id => rig.AcceptedFor(id).Any(r => Short(r) == "finish")), "every call finished", seconds: 60);

        // Replayed: every event of the log queued for the connector again.
        using var recovered = await rig.Hub.Client.PostAsync($"/api/v1/connectors/{ConnectorId}/recover?since=2000-01-01T00:00:00Z", null);
        Assert.Equal(HttpStatusCode.Accepted, recovered.StatusCode);
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}/deliveries?limit=1000",
            l => l.GetProperty("items").EnumerateArray().All(d => d.Str("state") == "delivered"), "the replay delivered");

        Assert.All(ids, id =>
        {
            var steps = rig.AcceptedFor(id);
            Assert.Single(steps, r => Short(r) == "register");
            Assert.Single(steps, r => Short(r) == "finish");
        });
        Assert.Equal(ids.Count, rig.Portal.Calls.Count);
        Assert.All(answered.Select(id => StableIds.CallId(HubServer.AccountId, id)), id =>
        {
            var finish = rig.AcceptedFor(id).Single(r => Short(r) == "finish");
            Assert.Equal(("200", 30, 7), ((string?)P(finish, "STATUS_CODE"), (int)P(finish, "DURATION")!, (int)P(finish, "USER_ID")!));
        });
    }
}
