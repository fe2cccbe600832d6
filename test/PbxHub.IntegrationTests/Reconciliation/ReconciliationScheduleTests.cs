using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Reconciliation;

namespace PbxHub.IntegrationTests.Reconciliation;

/// <summary>The schedule: each account with <c>History:Interval</c>, over windows that overlap (docs/reconciliation.md).</summary>
public sealed class ReconciliationScheduleTests
{
    [Fact]
    public async Task Schedule_AccountWithInterval_RunsWhenDueOverOverlappingWindowsCutToMaxWindow()
    {
        await using var ledger = await LedgerHub.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:History:Interval"] = "00:15:00",
            ["PbxHub:Reconciliation:CheckInterval"] = "1.00:00:00",
            ["PbxHub:Reconciliation:MaxWindow"] = "00:30:00",
        }, (history, now) => history.Add("r1", "lost1", now.AddMinutes(-5), null, now.AddMinutes(-4)));
        var t0 = ledger.Now;
        var schedule = ledger.Hub.Services.GetRequiredService<ReconciliationSchedule>();

        // The hub's own first pass at start: the last interval and the overlap, up to the settle time.
        var first = await WaitForRunsAsync(ledger, 1);
        Assert.Equal((t0.AddMinutes(-25), t0.AddMinutes(-2), "schedule", 1), (Since(first[0]), Until(first[0]), first[0].Str("trigger"), first[0].GetProperty("created").GetInt32()));

        ledger.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await schedule.RunDueAsync(default));
        ledger.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await schedule.RunDueAsync(default));
        var second = (await WaitForRunsAsync(ledger, 2))[0];
        Assert.Equal((t0.AddMinutes(-12), t0.AddMinutes(14)), (Since(second), Until(second)));
        Assert.Equal((1, 0), (second.GetProperty("seen").GetInt32(), second.GetProperty("created").GetInt32()));

        ledger.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await schedule.RunDueAsync(default));
        var third = (await WaitForRunsAsync(ledger, 3))[0];
        Assert.Equal((t0.AddMinutes(4), t0.AddMinutes(34)), (Since(third), Until(third)));
    }

    [Fact]
    public async Task AccountsApi_HistoryIntervalUnderAMinute_RefusedNamingTheKey()
    {
        await using var ledger = await LedgerHub.StartAsync();

        using var response = await ledger.Client.PostAsJsonAsync("/api/v1/accounts", new
        {
            id = "fast", provider = LedgerPbx.Name, secret = "fast-secret-0123",
            settings = new Dictionary<string, string> { ["History:Interval"] = "00:00:30" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("History:Interval '00:00:30' must be a time span of at least 00:01:00", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> WaitForRunsAsync(LedgerHub ledger, int count)
    {
        var runs = await ledger.Client.WaitForJsonAsync("/api/v1/reconciliation", r => r.GetArrayLength() >= count, $"{count} runs");
        return runs.EnumerateArray().ToList();
    }

    private static DateTimeOffset Since(JsonElement run) => run.GetProperty("since").GetDateTimeOffset();

    private static DateTimeOffset Until(JsonElement run) => run.GetProperty("until").GetDateTimeOffset();
}
