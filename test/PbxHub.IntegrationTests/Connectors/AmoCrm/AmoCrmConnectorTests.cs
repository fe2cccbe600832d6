using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Connectors.Bitrix24;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Connectors.AmoCrm.AmoCrmRig;

namespace PbxHub.IntegrationTests.Connectors.AmoCrm;

/// <summary>Sipuni calls reaching the amoCRM stand-in through the connector, over real HTTP.</summary>
public sealed class AmoCrmConnectorTests
{
    private const string RecordingUrl = "https://sipuni.com/api/crm/record?id=354435435436&hash=abc.mp3";

    [Fact]
    public async Task Deliver_InboundRungToTwoAnsweredBySecond_OneCallOfWhoTookItWithTheRecording()
    {
        await using var rig = await AmoCrmRig.StartAsync();
        var start = 1_764_000_000L;
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, Bitrix24ConnectorTests.TwoEmployeesSecondAnswers("amo-two", start));
        var callId = StableIds.CallId(HubServer.AccountId, "amo-two");

        await Webhooks.WaitUntilAsync(() => rig.CallsOf(callId).Count == 1, "the call added");
        var call = rig.CallsOf(callId).Single().Body;
        Assert.Equal("inbound", (string?)P(call, "direction"));
        Assert.Equal(30, (int)P(call, "duration")!);
        Assert.Equal("pbxhub", (string?)P(call, "source"));
        Assert.Equal("+79161234567", (string?)P(call, "phone"));
        Assert.Equal(4, (int)P(call, "call_status")!);
        Assert.Equal(Boris, (int)P(call, "responsible_user_id")!);
        Assert.Equal(start, (long)P(call, "created_at")!);
        Assert.Equal(RecordingUrl, (string?)P(call, "link"));
        Assert.Contains("answered", (string?)P(call, "call_result"), StringComparison.Ordinal);
        // The incoming-call notification went to each mapped employee rung, once.
        Assert.Equal([Anna, Boris], rig.Account.Events.Select(e => (int)e["users"]![0]!).Order());
        Assert.All(rig.Account.Events, e => Assert.Equal("+79161234567", (string?)e["phone_number"]));
        Assert.Empty(rig.Account.Unsorted);
    }

    [Fact]
    public async Task Deliver_MissedInbound_OwnedByTheDefaultUserAsNotReached()
    {
        await using var rig = await AmoCrmRig.StartAsync();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("amo-missed", Client, Line, "101", 1_764_000_000L));
        var callId = StableIds.CallId(HubServer.AccountId, "amo-missed");

        await Webhooks.WaitUntilAsync(() => rig.CallsOf(callId).Count == 1, "the call added");
        var call = rig.CallsOf(callId).Single();
        Assert.Equal(Admin, call.ResponsibleUserId);
        Assert.Equal(6, call.CallStatus);
        Assert.Equal(0, call.Duration);
        Assert.Equal("missed", (string?)call.Body["call_result"]);
        Assert.Single(rig.Account.Events, e => (int)e["users"]![0]! == Anna);
    }

    [Fact]
    public async Task Deliver_UnknownNumber_AnIncomingUnsortedLeadAndNoCall()
    {
        await using var rig = await AmoCrmRig.StartAsync();
        var start = 1_764_000_000L;
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.AnsweredInbound("amo-stranger", Stranger, Line, "102", start));
        var callId = StableIds.CallId(HubServer.AccountId, "amo-stranger");

        await Webhooks.WaitUntilAsync(() => rig.UnsortedOf(callId).Count == 1, "the unsorted lead added");
        var lead = rig.UnsortedOf(callId).Single();
        Assert.Equal("+79169999999", (string?)lead.Metadata["from"]);
        Assert.Equal("pbxhub", (string?)lead.Metadata["service_code"]);
        Assert.Equal(30, (int)lead.Metadata["duration"]!);
        Assert.Equal(start, (long)lead.Metadata["called_at"]!);
        Assert.Equal("102", (string?)lead.Metadata["phone"]);
        Assert.Empty(rig.Account.Calls);
        Assert.Single(rig.Account.Requests, r => r.Path == "/api/v4/calls" && r.Status == 400 && r.Error!.Contains("Entity not found", StringComparison.Ordinal));
        // The hub records the attempt once amoCRM's answer is back, a moment after the stand-in has the lead.
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}/deliveries",
            l => l.GetProperty("items").EnumerateArray().Any(d => d.GetProperty("attemptLog").ToString().Contains("unsorted lead", StringComparison.Ordinal)),
            "the delivery log naming the unsorted lead");
    }

    [Fact]
    public async Task Deliver_ShuffledDuplicatedAndReplayed_ExactlyOneCallPerCall()
    {
        // The hub's clock stands still while the shuffled requests arrive, however long a loaded machine takes to send
        // them: the calls settle when the test moves it, so none can go before its last request (that late-event case,
        // docs/connectors.md#finish-and-late-events, is not what this test is about).
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_003_600));
        await using var rig = await AmoCrmRig.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var start = 1_764_000_000L;
        var answered = Enumerable.Range(0, 4).Select(i => $"amo-shuffled-a{i}").ToList();
        var missed = Enumerable.Range(0, 3).Select(i => $"amo-shuffled-m{i}").ToList();
        var hooks = answered.SelectMany((id, i) => Bitrix24ConnectorTests.TwoEmployeesSecondAnswers(id, start + (i * 100)))
            .Concat(missed.SelectMany((id, i) => SipuniHooks.MissedInbound(id, Client, Line, "101", start + 50 + (i * 100))))
            .ToList();
        var random = new Random(20261204);
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, hooks.Concat(hooks).OrderBy(_ => random.Next()));
        var answeredIds = answered.Select(id => StableIds.CallId(HubServer.AccountId, id)).ToList();
        var ids = answeredIds.Concat(missed.Select(id => StableIds.CallId(HubServer.AccountId, id))).ToList();
        foreach (var id in ids)
        {
            await rig.Hub.Client.WaitForJsonAsync($"/api/v1/calls/{id}", c => c.Str("state") == CallStates.Ended
                && c.Str("outcome") == (answeredIds.Contains(id) ? Outcomes.Answered : Outcomes.Missed), $"{id} ended with its final outcome");
        }

        // Not quiet for SettleFor yet on the hub's clock: nothing added, whatever order the requests came in.
        await rig.Hub.DispatcherIdleAsync();
        Assert.Empty(rig.Account.Calls);
        rig.Hub.Advance(time, TimeSpan.FromSeconds(3));
        await Webhooks.WaitUntilAsync(() => ids.All(id => rig.CallsOf(id).Count > 0), "every call added", seconds: 60);

        using var recovered = await rig.Hub.Client.PostAsync($"/api/v1/connectors/{ConnectorId}/recover?since=2000-01-01T00:00:00Z", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, recovered.StatusCode);
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}/deliveries?limit=1000",
            l => l.GetProperty("items").EnumerateArray().All(d => d.Str("state") == "delivered"), "the replay delivered");

        Assert.All(ids, id => Assert.Single(rig.CallsOf(id)));
        Assert.Equal(ids.Count, rig.Account.Calls.Count);
        Assert.All(answeredIds, id =>
        {
            Assert.Equal(4, rig.CallsOf(id)[0].CallStatus);
            Assert.Equal(Boris, rig.CallsOf(id)[0].ResponsibleUserId);
            Assert.Equal(30, rig.CallsOf(id)[0].Duration);
        });
    }

    [Fact]
    public async Task Deliver_ResponsibleUserAmoCrmDoesNotKnow_FailedWithAmoCrmsValidationText()
    {
        await using var rig = await AmoCrmRig.StartAsync(settings: new Dictionary<string, string> { ["PbxHub:Connectors:0:DefaultUser"] = "777" });
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("amo-invalid", Client, Line, "103", 1_764_000_000L));

        var failed = await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}/deliveries",
            l => l.GetProperty("items").EnumerateArray().Any(d => d.Str("state") == "failed"), "the call's delivery failed");

        var text = failed.GetProperty("items").EnumerateArray().First(d => d.Str("state") == "failed").ToString();
        Assert.Contains("responsible_user_id: User not found.", text, StringComparison.Ordinal);
        Assert.Empty(rig.Account.Calls);
        Assert.Single(rig.Account.Requests, r => r.Path == "/api/v4/calls");
    }
}
