using System.Net;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Reconciliation;

/// <summary>Reconciliation through <c>POST /api/v1/accounts/{id}/reconcile</c> against a history served over HTTP (docs/reconciliation.md).</summary>
public sealed class ReconcileApiTests
{
    [Fact]
    public async Task Reconcile_CallOnlyInHistory_CallCreatedFromHistoryAndDeliveredOnceInOrder()
    {
        await using var subscriber = await Subscriber.StartAsync();
        await using var ledger = await LedgerHub.StartAsync();
        await ledger.Client.SubscribeAsync(subscriber.Url);
        var start = ledger.Now.AddMinutes(-30);
        ledger.History.Add("r1", "lost1", start, start.AddSeconds(10), start.AddSeconds(70), record: "https://ledger.example/rec/lost1.mp3");

        using var response = await ledger.ReconcileAsync(ledger.Now.AddHours(-1));

        using var run = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("succeeded", 1, 1, 0, 0), (run.RootElement.Str("status"), Int(run, "seen"), Int(run, "created"), Int(run, "completed"), Int(run, "differing")));
        var id = StableIds.CallId(LedgerHub.Account, "lost1");
        using var call = await ledger.Client.GetJsonAsync($"/api/v1/calls/{id}");
        Assert.True(call.RootElement.GetProperty("fromHistory").GetBoolean());
        Assert.Equal(("ended", "answered", 60), (call.RootElement.Str("state"), call.RootElement.Str("outcome"), call.RootElement.GetProperty("talkSeconds").GetInt32()));
        Assert.Equal("+79161234567", call.RootElement.GetProperty("from").Str("number"));
        var logged = await ledger.Client.EventIdsAsync(id);
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count >= logged.Count, $"{logged.Count} webhooks arrived");
        await ledger.Hub.DispatcherIdleAsync();
        var types = subscriber.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.Str("type")).ToList();
        var expected = await ledger.Client.EventIdsAsync(id);
        Assert.True(expected.SequenceEqual(subscriber.Received.Select(r => r.Id)), string.Join(", ", types));
        Assert.Equal("call.started", types[0]);
        Assert.Equal(1, types.Count(t => t == "call.ended"));
        Assert.True(types.IndexOf("call.answered") < types.IndexOf("call.ended"));
    }

    [Fact]
    public async Task Reconcile_HangUpLost_CallCompletedFromHistory()
    {
        await using var ledger = await LedgerHub.StartAsync();
        var start = ledger.Now.AddMinutes(-30);
        await ledger.HookAsync("c1", "start", start);
        await ledger.HookAsync("c1", "answer", start.AddSeconds(10));
        ledger.History.Add("r1", "c1", start, start.AddSeconds(10), start.AddSeconds(70));

        using var response = await ledger.ReconcileAsync(ledger.Now.AddHours(-1));

        using var run = await response.ReadJsonAsync();
        Assert.Equal((1, 0, 1), (Int(run, "seen"), Int(run, "created"), Int(run, "completed")));
        var finding = Assert.Single(run.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(("completed", StableIds.CallId(LedgerHub.Account, "c1")), (finding.Str("kind"), finding.Str("callId")));
        using var call = await ledger.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(LedgerHub.Account, "c1")}");
        Assert.True(call.RootElement.GetProperty("fromHistory").GetBoolean());
        Assert.Equal(("ended", "answered"), (call.RootElement.Str("state"), call.RootElement.Str("outcome")));
        Assert.Equal(start.AddSeconds(70), call.RootElement.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal("101", Assert.Single(call.RootElement.GetProperty("legs").EnumerateArray()).GetProperty("party").Str("extension"));
    }

    [Fact]
    public async Task Reconcile_CompleteCallTheHistoryTellsOtherwise_ReportedAsDifferingAndRecordKept()
    {
        await using var ledger = await LedgerHub.StartAsync();
        var start = ledger.Now.AddMinutes(-30);
        await ledger.HookAsync("c1", "start", start);
        await ledger.HookAsync("c1", "answer", start.AddSeconds(10));
        await ledger.HookAsync("c1", "end", start.AddSeconds(70));
        var id = StableIds.CallId(LedgerHub.Account, "c1");
        using var before = await ledger.Client.GetJsonAsync($"/api/v1/calls/{id}");
        ledger.History.Add("r1", "c1", start, start.AddSeconds(10), start.AddSeconds(100));

        using var response = await ledger.ReconcileAsync(ledger.Now.AddHours(-1));

        using var run = await response.ReadJsonAsync();
        Assert.Equal((1, 0, 0, 1), (Int(run, "seen"), Int(run, "created"), Int(run, "completed"), Int(run, "differing")));
        var finding = Assert.Single(run.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("talkSeconds: 60 (history 90)", Assert.Single(finding.GetProperty("differs").EnumerateArray()).GetString());
        using var after = await ledger.Client.GetJsonAsync($"/api/v1/calls/{id}");
        Assert.False(after.RootElement.GetProperty("fromHistory").GetBoolean());
        Assert.Equal(before.RootElement.GetProperty("endedAt").GetDateTimeOffset(), after.RootElement.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal(60, after.RootElement.GetProperty("talkSeconds").GetInt32());
    }

    [Fact]
    public async Task Reconcile_EventsArriveAfterTheHistory_OneCallAndOneCallEnded()
    {
        await using var subscriber = await Subscriber.StartAsync();
        await using var ledger = await LedgerHub.StartAsync();
        await ledger.Client.SubscribeAsync(subscriber.Url);
        var start = ledger.Now.AddMinutes(-30);
        ledger.History.Add("r1", "late1", start, start.AddSeconds(10), start.AddSeconds(70));
        (await ledger.ReconcileAsync(ledger.Now.AddHours(-1))).EnsureSuccessStatusCode();

        await ledger.HookAsync("late1", "start", start);
        await ledger.HookAsync("late1", "answer", start.AddSeconds(10));
        await ledger.HookAsync("late1", "end", start.AddSeconds(70));
        var again = await ledger.ReconcileAsync(ledger.Now.AddHours(-1));

        using var run = await again.ReadJsonAsync();
        Assert.Equal((1, 0, 0, 0), (Int(run, "seen"), Int(run, "created"), Int(run, "completed"), Int(run, "differing")));
        using var calls = await ledger.Client.GetJsonAsync($"/api/v1/calls?account={LedgerHub.Account}");
        var call = Assert.Single(calls.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(("ended", "answered"), (call.Str("state"), call.Str("outcome")));
        var id = StableIds.CallId(LedgerHub.Account, "late1");
        var expected = await ledger.Client.EventIdsAsync(id);
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count >= expected.Count, $"{expected.Count} webhooks arrived");
        await ledger.Hub.DispatcherIdleAsync();
        var types = subscriber.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.Str("type")).ToList();
        Assert.Equal(1, types.Count(t => t == "call.ended"));
        Assert.Equal(1, types.Count(t => t == "call.started"));
        Assert.Equal(expected, subscriber.Received.Select(r => r.Id));
    }

    [Fact]
    public async Task Reconcile_RowsWithoutCallId_JoinTheOneCallOfTheClientWithinTheWindowElseTheirOwn()
    {
        await using var ledger = await LedgerHub.StartAsync();
        var start = ledger.Now.AddMinutes(-30);
        await ledger.HookAsync("c1", "start", start);
        await ledger.HookAsync("c1", "answer", start.AddSeconds(10));
        ledger.History.Add("r1", null, start.AddSeconds(40), start.AddSeconds(50), start.AddSeconds(90));
        ledger.History.Add("r2", null, start.AddMinutes(5), null, start.AddMinutes(5).AddSeconds(20));

        using var response = await ledger.ReconcileAsync(ledger.Now.AddHours(-1));

        using var run = await response.ReadJsonAsync();
        Assert.Equal((2, 1, 1), (Int(run, "seen"), Int(run, "created"), Int(run, "completed")));
        var findings = run.RootElement.GetProperty("findings").EnumerateArray().ToDictionary(f => f.Str("kind")!, f => f.Str("callId"));
        Assert.Equal(StableIds.CallId(LedgerHub.Account, "c1"), findings["completed"]);
        Assert.Equal(StableIds.CallId(LedgerHub.Account, "history:r2"), findings["created"]);
        using var c1 = await ledger.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(LedgerHub.Account, "c1")}");
        Assert.Equal(("ended", start.AddSeconds(90)), (c1.RootElement.Str("state"), c1.RootElement.GetProperty("endedAt").GetDateTimeOffset()));
        using var own = await ledger.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(LedgerHub.Account, "history:r2")}");
        Assert.Equal(("missed", "history:r2"), (own.RootElement.Str("outcome"), own.RootElement.Str("providerCallId")));
    }

    private static int Int(JsonDocument doc, string name) => doc.RootElement.GetProperty(name).GetInt32();
}
