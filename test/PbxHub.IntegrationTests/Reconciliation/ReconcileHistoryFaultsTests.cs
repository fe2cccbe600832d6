using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Reconciliation;

/// <summary>A history that fails, comes in pages or cannot be read; periods and accounts refused (docs/reconciliation.md).</summary>
public sealed class ReconcileHistoryFaultsTests
{
    [Fact]
    public async Task Reconcile_HistoryUnavailable_FailedRunRecordedAnswered502AndNothingTouched()
    {
        await using var ledger = await LedgerHub.StartAsync();
        var start = ledger.Now.AddMinutes(-30);
        await ledger.HookAsync("c1", "start", start);
        ledger.History.Add("r1", "c1", start, start.AddSeconds(10), start.AddSeconds(70));
        ledger.History.Add("r2", "lost1", start, null, start.AddSeconds(20));
        ledger.History.FailWith = 503;

        using var response = await ledger.ReconcileAsync(ledger.Now.AddHours(-1));

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadGateway);
        var runId = problem.RootElement.Str("runId");
        Assert.Equal("history answered HTTP 503", problem.RootElement.Str("detail"));
        using var runs = await ledger.Client.GetJsonAsync($"/api/v1/reconciliation?account={LedgerHub.Account}");
        var run = Assert.Single(runs.RootElement.EnumerateArray());
        Assert.Equal((runId, "failed", "history answered HTTP 503", 0), (run.Str("id"), run.Str("status"), run.Str("error"), run.GetProperty("seen").GetInt32()));
        using var calls = await ledger.Client.GetJsonAsync($"/api/v1/calls?account={LedgerHub.Account}");
        var call = Assert.Single(calls.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(("ringing", false), (call.Str("state"), call.GetProperty("fromHistory").GetBoolean()));
        Assert.DoesNotContain(await HubDatabase.RawEventsAsync(ledger.Hub.DataDirectory), r => r.Kind is "history" or "quarantined");
    }

    [Fact]
    public async Task Reconcile_ReaderFailsOnAnAnswer_FailedRunNamingTheReaderAndNothingTouched()
    {
        await using var ledger = await LedgerHub.StartAsync();
        var start = ledger.Now.AddMinutes(-30);
        ledger.History.Add("r1", "ok1", start, null, start.AddSeconds(20));
        ledger.History.Add("r2", "odd1", start.AddMinutes(1), null, start.AddMinutes(2));
        ledger.History.Rows.Last()["end"] = "later";

        using var response = await ledger.ReconcileAsync(ledger.Now.AddHours(-1));

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.StartsWith("the ledgerpbx history reader failed: ", problem.RootElement.Str("detail"), StringComparison.Ordinal);
        using var calls = await ledger.Client.GetJsonAsync($"/api/v1/calls?account={LedgerHub.Account}");
        Assert.Equal(0, calls.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Reconcile_HistoryInPages_EveryPageReadAndEveryCallCreated()
    {
        await using var ledger = await LedgerHub.StartAsync();
        ledger.History.PageSize = 2;
        for (var i = 0; i < 5; i++)
        {
            var start = ledger.Now.AddMinutes(-50 + i);
            ledger.History.Add($"r{i}", $"p{i}", start, null, start.AddSeconds(15));
        }

        using var response = await ledger.ReconcileAsync(ledger.Now.AddHours(-1));

        using var run = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((5, 5), (run.RootElement.GetProperty("seen").GetInt32(), run.RootElement.GetProperty("created").GetInt32()));
        Assert.Equal(3, run.RootElement.GetProperty("pages").GetArrayLength());
        using var calls = await ledger.Client.GetJsonAsync($"/api/v1/calls?account={LedgerHub.Account}");
        var items = calls.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        Assert.All(items, c => Assert.Equal(("missed", true), (c.Str("outcome"), c.GetProperty("fromHistory").GetBoolean())));
    }

    [Fact]
    public async Task Reconcile_HistoryAnswersGarbage_QuarantinedReportedAndNothingElseTouched()
    {
        await using var ledger = await LedgerHub.StartAsync();
        await ledger.HookAsync("c1", "start", ledger.Now.AddMinutes(-30));
        ledger.History.Garbage = "<html><body>502 Bad Gateway</body></html>";

        using var response = await ledger.ReconcileAsync(ledger.Now.AddHours(-1));

        using var run = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, run.RootElement.GetProperty("seen").GetInt32());
        var finding = Assert.Single(run.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(("quarantined", "not a JSON object with rows"), (finding.Str("kind"), finding.Str("reason")));
        using var quarantine = await ledger.Client.GetJsonAsync("/api/v1/quarantine?provider=ledgerpbx");
        var kept = Assert.Single(quarantine.RootElement.GetProperty("items").EnumerateArray());
        Assert.Contains("502 Bad Gateway", kept.GetRawText(), StringComparison.Ordinal);
        using var calls = await ledger.Client.GetJsonAsync($"/api/v1/calls?account={LedgerHub.Account}");
        Assert.Equal("ringing", Assert.Single(calls.RootElement.GetProperty("items").EnumerateArray()).Str("state"));
    }

    [Fact]
    public async Task Reconcile_SweptIncompleteCall_CorrectedFromHistory()
    {
        await using var ledger = await LedgerHub.StartAsync(new Dictionary<string, string> { ["PbxHub:Calls:SweepInterval"] = "1.00:00:00" });
        var start = ledger.Now;
        await ledger.HookAsync("c1", "start", start);
        await ledger.HookAsync("c1", "answer", start.AddSeconds(5));
        ledger.History.Add("r1", "c1", start, start.AddSeconds(5), start.AddSeconds(65));
        ledger.Time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(1, await ledger.Hub.Services.GetRequiredService<CallSweeper>().SweepAsync(default));
        var id = StableIds.CallId(LedgerHub.Account, "c1");
        using (var swept = await ledger.Client.GetJsonAsync($"/api/v1/calls/{id}"))
        {
            Assert.True(swept.RootElement.GetProperty("incomplete").GetBoolean());
        }

        using var response = await ledger.ReconcileAsync(start.AddMinutes(-10));

        using var run = await response.ReadJsonAsync();
        Assert.Equal(1, run.RootElement.GetProperty("completed").GetInt32());
        using var call = await ledger.Client.GetJsonAsync($"/api/v1/calls/{id}");
        Assert.False(call.RootElement.GetProperty("incomplete").GetBoolean());
        Assert.True(call.RootElement.GetProperty("fromHistory").GetBoolean());
        Assert.Equal((start.AddSeconds(65), 60), (call.RootElement.GetProperty("endedAt").GetDateTimeOffset(), call.RootElement.GetProperty("talkSeconds").GetInt32()));
    }

    [Fact]
    public async Task Replay_AfterReconciliation_GivesTheRecordsServedBefore()
    {
        await using var ledger = await LedgerHub.StartAsync(new Dictionary<string, string> { ["PbxHub:Recordings:Enabled"] = "false" });
        var start = ledger.Now.AddMinutes(-40);
        await ledger.HookAsync("c1", "start", start);
        await ledger.HookAsync("c1", "answer", start.AddSeconds(10));
        await ledger.HookAsync("c2", "start", start.AddMinutes(1));
        await ledger.HookAsync("c2", "answer", start.AddMinutes(1).AddSeconds(4));
        await ledger.HookAsync("c2", "end", start.AddMinutes(1).AddSeconds(30));
        ledger.History.Add("r1", "c1", start, start.AddSeconds(10), start.AddSeconds(70), record: "https://ledger.example/rec/1.mp3");
        ledger.History.Add("r2", "c2", start.AddMinutes(1), start.AddMinutes(1).AddSeconds(4), start.AddMinutes(1).AddSeconds(50));
        ledger.History.Add("r3", null, start.AddMinutes(5), null, start.AddMinutes(5).AddSeconds(20));
        (await ledger.ReconcileAsync(ledger.Now.AddHours(-1))).EnsureSuccessStatusCode();
        ledger.History.Add("r4", "c1", start, start.AddSeconds(10), start.AddSeconds(75));
        (await ledger.ReconcileAsync(ledger.Now.AddHours(-1))).EnsureSuccessStatusCode();

        var before = await ledger.Client.GetStringAsync($"/api/v1/calls?account={LedgerHub.Account}");
        var summary = await ledger.Hub.Services.GetRequiredService<Replayer>().ReplayAsync(null, default);
        var after = await ledger.Client.GetStringAsync($"/api/v1/calls?account={LedgerHub.Account}");

        Assert.Equal(3, JsonDocument.Parse(before).RootElement.GetProperty("items").GetArrayLength());
        Assert.Contains("\"fromHistory\":true", before, StringComparison.Ordinal);
        Assert.Equal(0, summary.NewEvents);
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("?since=2023-11-14T10:00:00", "since '2023-11-14T10:00:00' is not an ISO 8601 time with an offset")]
    [InlineData("?since=2023-11-14T12:00:00Z&until=2023-11-14T10:00:00Z", "since must be before until")]
    [InlineData("?since=2023-09-01T00:00:00Z&until=2023-11-14T10:00:00Z", "the period is longer than 31 days")]
    public async Task Reconcile_BadPeriod_400ProblemSayingWhy(string query, string detail)
    {
        await using var ledger = await LedgerHub.StartAsync();

        using var response = await ledger.Client.PostAsync($"/api/v1/accounts/{LedgerHub.Account}/reconcile{query}", null);

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith(detail, problem.RootElement.Str("detail"), StringComparison.Ordinal);
        Assert.Empty(ledger.History.Requests);
    }

    [Fact]
    public async Task Reconcile_UnknownAccountOrNoReaderOrNoCredentials_404And409And422()
    {
        await using var ledger = await LedgerHub.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:2:Id"] = "bare",
            ["PbxHub:Accounts:2:Provider"] = LedgerPbx.Name,
            ["PbxHub:Accounts:2:Secret"] = "bare-secret-0123",
            ["PbxHub:Accounts:3:Id"] = "tiny",
            ["PbxHub:Accounts:3:Provider"] = "hooktype",
            ["PbxHub:Accounts:3:Secret"] = "tiny-secret-0123",
        });

        using var unknown = await ledger.Client.PostAsync("/api/v1/accounts/nobody/reconcile", null);
        using var noReader = await ledger.Client.PostAsync("/api/v1/accounts/tiny/reconcile", null);
        using var noUrl = await ledger.Client.PostAsync("/api/v1/accounts/bare/reconcile", null);

        (await HttpJson.AssertProblemAsync(unknown, HttpStatusCode.NotFound)).Dispose();
        using var conflict = await HttpJson.AssertProblemAsync(noReader, HttpStatusCode.Conflict);
        Assert.Equal("provider 'hooktype' has no call history PbxHub can read", conflict.RootElement.Str("detail"));
        using var unprocessable = await HttpJson.AssertProblemAsync(noUrl, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Ledger:HistoryUrl is not set", unprocessable.RootElement.Str("detail"));
        using var runs = await ledger.Client.GetJsonAsync("/api/v1/reconciliation");
        Assert.Equal(0, runs.RootElement.GetArrayLength());
    }
}
