using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Delivery;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Retention;

namespace PbxHub.IntegrationTests.Retention;

/// <summary>
/// Retention on a real hub with a fake clock: the pruning service, on its own schedule, takes old raw requests,
/// old quarantined requests and old finished deliveries, and the call records stay exactly as served.
/// </summary>
public sealed class RetentionTests
{
    private const string Caller = "79031234567";
    private const string OtherCaller = "79161112233";
    private const string Line = "74951234567";
    private const long Start = 1_700_000_000;

    private static readonly string[] ExampleQueries = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sipuni-transfer-example.txt"))
        .Where(line => line.Length > 0).Select(line => line[(line.IndexOf('?', StringComparison.Ordinal) + 1)..]).ToArray();

    private static string Id(string callKey) => StableIds.CallId(HubServer.AccountId, callKey);

    /// <summary>A call answered and hung up, without the arrival on the company line (which may come late).</summary>
    private static string[] WithoutArrival(string callKey, string from) => SipuniHooks.AnsweredInbound(callKey, from, Line, "101", Start)[1..];

    private static string Arrival(string callKey, string from) => SipuniHooks.Arrival(callKey, from, Line, Start);

    [Fact]
    public async Task Prune_OldAndRecentTraffic_OldRawAndFinishedDeliveriesGoneRecordsServedIdenticallyAlsoAfterReplay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Start));
        await using var subscriber = await Subscriber.StartAsync();
        await using var refusing = await Subscriber.StartAsync();
        refusing.Answer = _ => (500, null, TimeSpan.Zero);
        await using var hub = await HubServer.StartAsync(
            new Dictionary<string, string>
            {
                ["PbxHub:Retention:RawEventDays"] = "30",
                ["PbxHub:Retention:DeliveryDays"] = "30",
                ["PbxHub:Retention:Interval"] = "1.00:00:00",
                ["PbxHub:Retention:BatchSize"] = "2",
            },
            b => b.Services.AddSingleton<TimeProvider>(time));
        var (_, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        var (refusingId, _) = await hub.Client.SubscribeAsync(refusing.Url);

        // Day 0: calls that will be old, one quarantined request.
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("old-answered", Caller, Line, "101", Start));
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("old-missed", OtherCaller, Line, "102", Start + 60));
        await hub.Client.SendHooksAsync(hub.HookPath, ExampleQueries);
        await hub.Client.SendHooksAsync(hub.HookPath, WithoutArrival("late", "79250000001"));
        await hub.Client.SendHooksAsync(hub.HookPath, WithoutArrival("control", "79250000001"));
        (await hub.Client.SendHookAsync(hub.HookPath, "event=9&call_id=q-old&src_num=89031234567&timestamp=1700000000")).Dispose();
        var oldCalls = new[] { "old-answered", "old-missed", "1419783130.15593" };
        var oldEvents = 0;
        foreach (var call in oldCalls.Append("late").Append("control"))
        {
            oldEvents += (await hub.Client.EventIdsAsync(Id(call))).Count;
        }

        // The refusing subscriber is tried once per call (the rest of each call waits behind its first event).
        await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Count() >= oldEvents && refusing.Received.Count >= 5, "day-0 deliveries attempted");
        using (await hub.Client.PatchAsync($"/api/v1/subscriptions/{refusingId}", WebhookDeliveryTests.JsonContent(new { enabled = false })))
        {
        }

        var served = await ServedAsync(hub, oldCalls);
        var pending = await ScalarAsync(hub, "SELECT count(*) FROM deliveries WHERE state = 'pending'");
        Assert.True(pending >= oldEvents, $"{pending} pending deliveries of the refusing subscriber");

        // Day 29: the control call's arrival comes late, so the control is still receiving at the cut-off.
        time.Advance(TimeSpan.FromDays(29));
        await hub.Client.SendHooksAsync(hub.HookPath, [Arrival("control", "79250000001")]);

        // Day 31: the service's timer runs the pruning.
        time.Advance(TimeSpan.FromDays(2));
        // One run prunes raw events, then deliveries: wait for both.
        for (var i = 0; i < 200 && (await ScalarAsync(hub, "SELECT count(*) FROM raw_events WHERE kind IN ('compacted', 'quarantined')") != 4
            || await ScalarAsync(hub, "SELECT count(*) FROM deliveries WHERE state <> 'pending' AND completed_at < @cutoff", Cutoff(time)) != 0); i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(4, await ScalarAsync(hub, "SELECT count(*) FROM raw_events WHERE kind = 'compacted'"));
        Assert.Equal(0, await ScalarAsync(hub, "SELECT count(*) FROM raw_events WHERE kind = 'quarantined'"));

        Assert.Equal(served, await ServedAsync(hub, oldCalls));
        foreach (var call in oldCalls)
        {
            var rows = (await HubDatabase.RawEventsAsync(hub.DataDirectory)).Where(r => r.CallKey == call).ToList();
            Assert.Equal("compacted", Assert.Single(rows).Kind);
        }

        Assert.Equal(4, (await HubDatabase.RawEventsAsync(hub.DataDirectory)).Count(r => r.CallKey == "control" && r.Kind == "hook"));
        Assert.Equal(pending, await ScalarAsync(hub, "SELECT count(*) FROM deliveries WHERE state = 'pending'"));
        Assert.Equal(0, await ScalarAsync(hub, "SELECT count(*) FROM deliveries WHERE state <> 'pending' AND completed_at < @cutoff", Cutoff(time)));
        Assert.Equal(0, await ScalarAsync(hub, "SELECT count(*) FROM delivery_attempts WHERE delivery_id NOT IN (SELECT id FROM deliveries)"));

        // A late event of a pruned call folds onto everything its pruned requests said: the same record as the control's.
        await hub.Client.SendHooksAsync(hub.HookPath, [Arrival("late", "79250000001")]);
        // (But when each last heard of its call: day 29 for the control, day 31 for the late one.)
        Assert.Equal(Comparable(await RecordAsync(hub, "control"), "control"), Comparable(await RecordAsync(hub, "late"), "late"));

        // Recent traffic and a second run: nothing recent is touched.
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("recent", Caller, Line, "101", Start + 31 * 86400));
        (await hub.Client.SendHookAsync(hub.HookPath, "event=9&call_id=q-new&src_num=89031234567&timestamp=1700000000")).Dispose();
        var recentEvents = (await hub.Client.EventIdsAsync(Id("recent"))).Count;
        await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Count() >= oldEvents + recentEvents, "the recent call's events delivered");
        var again = await hub.Services.GetRequiredService<RetentionPruner>().PruneAsync(default);
        Assert.Equal(recentEvents, await ScalarAsync(hub, "SELECT count(*) FROM deliveries WHERE state = 'delivered' AND call_id = @id", new { id = Id("recent") }));
        Assert.Equal(new PruneSummary(0, 0, 0), again);
        Assert.Equal(4, (await HubDatabase.RawEventsAsync(hub.DataDirectory)).Count(r => r.CallKey == "recent"));
        Assert.Equal(1, await ScalarAsync(hub, "SELECT count(*) FROM raw_events WHERE kind = 'quarantined'"));

        // Replay rebuilds every call from what is stored, compacted rows included: nothing changes, no event is new.
        var late = await RecordAsync(hub, "late");
        var summary = await hub.Services.GetRequiredService<Replayer>().ReplayAsync(null, default);
        Assert.Equal(0, summary.NewEvents);
        Assert.Equal(served, await ServedAsync(hub, oldCalls));
        Assert.Equal(late, await RecordAsync(hub, "late"));
    }

    [Fact]
    public async Task Prune_RetentionOff_NothingRemoved()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Start));
        await using var hub = await HubServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("kept", Caller, Line, "101", Start));
        time.Advance(TimeSpan.FromDays(31));

        var summary = await hub.Services.GetRequiredService<RetentionPruner>().PruneAsync(default);

        Assert.Equal(new PruneSummary(0, 0, 0), summary);
        Assert.Equal(4, (await HubDatabase.RawEventsAsync(hub.DataDirectory)).Count(r => r.CallKey == "kept" && r.Kind == "hook"));
    }

    private static string Comparable(string record, string callKey) => System.Text.RegularExpressions.Regex.Replace(
        record.Replace(Id(callKey), "ID", StringComparison.Ordinal).Replace($"\"{callKey}\"", "\"KEY\"", StringComparison.Ordinal),
        "\"updatedAt\":\"[^\"]*\"", "");

    private static object Cutoff(FakeTimeProvider time) => new { cutoff = time.GetUtcNow().AddDays(-30).ToUnixTimeMilliseconds() };

    private static async Task<long> ScalarAsync(HubServer hub, string sql, object? args = null)
    {
        await using var db = await TestStorage.OpenAsync(hub.DataDirectory);
        return await db.ExecuteScalarAsync<long>(sql, args);
    }

    private static Task<string> RecordAsync(HubServer hub, string callKey) => hub.Client.GetStringAsync($"/api/v1/calls/{Id(callKey)}");

    /// <summary>What the API serves of the old calls: each record, its event ids, and the missed-calls list.</summary>
    private static async Task<List<string>> ServedAsync(HubServer hub, IEnumerable<string> calls)
    {
        var served = new List<string>();
        foreach (var call in calls)
        {
            served.Add(await RecordAsync(hub, call));
            served.Add(string.Join(",", await hub.Client.EventIdsAsync(Id(call))));
        }

        served.Add(await hub.Client.GetStringAsync("/api/v1/calls/missed?unreturned=true"));
        return served;
    }
}
