using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Crash;

/// <summary>
/// What must hold after every kill and restart: each acknowledged request stored exactly once, the call records those a
/// clean replay builds, every event delivered (signed, in order per call, re-sent under the same id), the database sound.
/// </summary>
internal sealed class CrashChecks(CrashRig rig)
{
    private readonly List<(AckedHook Hook, string Account, string Key)> acked = [];
    private int signaturesVerified;

    /// <summary>How long the last whole replay took.</summary>
    public TimeSpan ReplayTook { get; private set; }

    public async Task<string> AfterKillAsync(KillReport kill)
    {
        await WaitFoldedAsync(rig.Data);
        await AssertDatabaseSoundAsync();
        await AssertAcknowledgedStoredOnceAsync();
        var calls = await AssertRecordsAreWhatReplayBuildsAsync();
        var events = await AssertEverythingDeliveredAsync(kill.DeliveriesInFlight);
        await AssertApiAnswersAsync();
        return $"{acked.Count} requests acknowledged in all, {calls} calls, {events} events delivered";
    }

    /// <summary>Waits until every stored raw event is folded into its call.</summary>
    public static async Task WaitFoldedAsync(string data)
    {
        await using var db = await TestStorage.OpenAsync(data);
        const string sql = "SELECT count(*) FROM fold_pending";
        var clock = Stopwatch.StartNew();
        while (await db.ExecuteScalarAsync<long>(sql) > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "stored raw events were not folded within a minute");
            await Task.Delay(50);
        }
    }

    private async Task AssertDatabaseSoundAsync()
    {
        if (TestStorage.IsPostgres)
        {
            return; // PostgreSQL vouches for its own pages; every query of the API must still work (below).
        }

        await using var db = await TestStorage.OpenAsync(rig.Data);
        Assert.Equal(["ok"], (await db.QueryAsync<string>("PRAGMA integrity_check")).ToList());
        Assert.Empty(await db.QueryAsync("PRAGMA foreign_key_check"));
    }

    private async Task AssertAcknowledgedStoredOnceAsync()
    {
        foreach (var hook in rig.Balancer.Acked.Skip(acked.Count))
        {
            Assert.True(ThreeProviders.AnsweredAsAccepted(hook), $"{hook.Method} {hook.Path}?{hook.Query} was answered 2xx with '{hook.Answer}'");
            var (account, key) = ThreeProviders.DedupeKey(hook);
            acked.Add((hook, account, key));
        }

        await using var db = await TestStorage.OpenAsync(rig.Data);
        var stored = (await db.QueryAsync<(string Account, string Key, long Count)>(
                "SELECT account, dedupe_key, count(*) FROM raw_events GROUP BY account, dedupe_key"))
            .ToDictionary(r => (r.Account, r.Key), r => r.Count);
        var wrong = acked
            .Where(a => stored.GetValueOrDefault((a.Account, a.Key)) != 1)
            .Select(a => $"{a.Hook.Method} {a.Hook.Path}?{a.Hook.Query} {System.Text.Encoding.UTF8.GetString(a.Hook.Body)} stored {stored.GetValueOrDefault((a.Account, a.Key))} times")
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {acked.Count} acknowledged requests not stored exactly once:\n{string.Join('\n', wrong.Take(10))}");
    }

    /// <summary>The journal (every call, and the missed unreturned ones) before and after a whole replay.</summary>
    private async Task<int> AssertRecordsAreWhatReplayBuildsAsync()
    {
        Dictionary<string, List<string>> before, after;
        for (var attempt = 1; ; attempt++)
        {
            var logEnd = await RawLogEndAsync();
            before = await JournalAsync();
            var clock = Stopwatch.StartNew();
            await rig.ReplayAsync();
            ReplayTook = clock.Elapsed;
            after = await JournalAsync();
            // The hub works on during the check: its recording fetcher and sweeper store raw events of their own (a
            // recording that failed, a call timed out). A journal that changed because the raw log grew meanwhile is
            // compared again; only a difference with the same raw events is a replay that disagrees.
            if (await RawLogEndAsync() == logEnd || attempt == 3)
            {
                break;
            }
        }

        foreach (var (list, was) in before)
        {
            var now = after[list];
            var differ = was.Except(now).Take(3).ToList();
            Assert.True(
                was.Count == now.Count && differ.Count == 0,
                $"{list}: {was.Count} records before the replay, {now.Count} after; before, not after:\n{string.Join('\n', differ)}\nafter, not before:\n{string.Join('\n', now.Except(was).Take(3))}");
        }

        return before["/api/v1/calls"].Count;
    }

    private async Task<long> RawLogEndAsync()
    {
        await using var db = await TestStorage.OpenAsync(rig.Data);
        return await db.ExecuteScalarAsync<long?>("SELECT max(seq) FROM raw_events") ?? 0;
    }

    private async Task<Dictionary<string, List<string>>> JournalAsync() => new()
    {
        ["/api/v1/calls"] = await ThreeProviders.AllCallsAsync(rig.Hub.Client),
        ["/api/v1/calls/missed?unreturned=true"] = await ThreeProviders.AllCallsAsync(rig.Hub.Client, "/api/v1/calls/missed?unreturned=true"),
    };

    private async Task<int> AssertEverythingDeliveredAsync(IReadOnlyList<string> inFlightAtKill)
    {
        await using var db = await TestStorage.OpenAsync(rig.Data);
        var log = (await db.QueryAsync<(string Id, string CallId)>("SELECT id, call_id FROM call_events ORDER BY seq")).ToList();
        var callOf = log.ToDictionary(e => e.Id, e => e.CallId);
        await Webhooks.WaitUntilAsync(
            () => callOf.Keys.All(rig.Subscriber.Delivered.Select(r => r.Id).ToHashSet().Contains), $"all {log.Count} events delivered", seconds: 120);

        var received = rig.Subscriber.Received.ToList();
        var unknown = received.Select(r => r.Id).Where(id => !callOf.ContainsKey(id)).Distinct().ToList();
        Assert.True(unknown.Count == 0, $"webhook ids not in the event log: {string.Join(", ", unknown.Take(5))}");
        foreach (var webhook in received.Skip(signaturesVerified))
        {
            Assert.True(StandardWebhooksVerifier.Verify(rig.SubscriptionSecret, webhook), $"webhook {webhook.Id} is not signed with the subscription's secret");
            using var body = JsonDocument.Parse(webhook.Body);
            Assert.Equal(webhook.Id, body.RootElement.Str("id"));
        }

        signaturesVerified = received.Count;
        // In order per call: each call's events first reached the subscriber in the order of the log.
        var firstDelivered = received.Where(r => r.AnsweredWith is >= 200 and < 300).Select(r => r.Id).Distinct().ToLookup(id => callOf[id]);
        foreach (var call in log.GroupBy(e => e.CallId))
        {
            Assert.Equal(call.Select(e => e.Id).ToList(), firstDelivered[call.Key].ToList());
        }

        var arrivals = rig.Arrivals.CountBy(id => id).ToDictionary();
        var notResent = inFlightAtKill.Where(id => arrivals[id] < 2).ToList();
        Assert.True(notResent.Count == 0, $"webhooks in flight at the kill not sent again under their id: {string.Join(", ", notResent)}");
        return log.Count;
    }

    /// <summary>Every query of the API still answers: the database the hub restarted on is usable throughout.</summary>
    private async Task AssertApiAnswersAsync()
    {
        var client = rig.Hub.Client;
        using var page = await client.GetJsonAsync("/api/v1/calls?limit=1");
        var call = page.RootElement.GetProperty("items")[0];
        var id = call.Str("id")!;
        var number = call.GetProperty("from").Str("raw")!;
        using var subscriptions = await client.GetJsonAsync("/api/v1/subscriptions");
        var subscription = subscriptions.RootElement[0].Str("id")!;
        string[] queries =
        [
            $"/api/v1/calls/{id}", $"/api/v1/calls/{id}/timeline", $"/api/v1/calls?number={Uri.EscapeDataString(number)}",
            "/api/v1/calls?direction=inbound&outcome=answered", "/api/v1/calls?account=kyiv&state=ended", "/api/v1/calls/missed",
            "/api/v1/stats", "/api/v1/stats?by=day", "/api/v1/stats?by=hour", "/api/v1/stats?by=party",
            $"/api/v1/subscriptions/{subscription}/deliveries", "/api/v1/accounts", "/api/v1/calls/requests",
        ];
        foreach (var query in queries)
        {
            using var _ = await client.GetJsonAsync(query);
        }

        using var csv = await client.GetAsync("/api/v1/calls.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
