using System.Text.Json;
using Dapper;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Ingest;
using PbxHub.Simulation;
using Xunit.Abstractions;

namespace PbxHub.IntegrationTests.Cluster;

/// <summary>
/// The production shape: two real <c>pbxhub serve</c> processes on one PostgreSQL behind a balancer that
/// spreads the events of each call over both, one node killed with SIGKILL in the middle and restarted.
/// </summary>
[Collection(nameof(KillCollection))]
public sealed class TwoNodeProofTests(ITestOutputHelper output)
{
    private static Dictionary<string, string> Environment()
    {
        var env = ThreeProviders.Environment();
        env["PbxHub__Delivery__RequestTimeout"] = "00:00:05";
        return env;
    }

    [PostgresFact]
    public async Task TwoNodes_TrafficSplitShuffledDuplicated_OneKilledAndRestarted_NothingLostAndEverythingAgrees()
    {
        var data = HubProcess.NewDataDirectory();
        var env = Environment();
        await using var subscriber = await Subscriber.StartAsync();
        await using var balancer = await LoadBalancer.StartAsync();
        var nodeA = await HubProcess.StartAsync(data, env);
        await using var nodeB = await HubProcess.StartAsync(data, env);
        balancer.Nodes = [nodeA.BaseUrl, nodeB.BaseUrl];
        var (_, secret) = await nodeA.Client.SubscribeAsync(subscriber.Url);
        await using var stream = await SseClient.ConnectAsync(nodeB.Client, "/api/v1/stream?lastEventId=0");

        var runs = ThreeProviders.Senders
            .Select((p, i) => SimulateCommand.RunAsync(
                new SimulationOptions
                {
                    Url = balancer.Url, Account = p.Item2, Secret = p.Item3, Provider = p.Item1, Calls = 60, Rate = 15,
                    Concurrency = 8, Shuffle = true, Duplicate = 0.3, Seed = 7 + i,
                },
                ThreeProviders.Quiet(), TimeProvider.System, CancellationToken.None))
            .ToList();

        await Webhooks.WaitUntilAsync(() => balancer.Acked.Count >= 150, "traffic under way", seconds: 60);
        await nodeA.KillAsync();
        balancer.Nodes = [nodeB.BaseUrl];
        output.WriteLine($"node A killed after {balancer.Acked.Count} acknowledged requests");
        await using var nodeA2 = await HubProcess.StartAsync(data, env);
        balancer.Nodes = [nodeA2.BaseUrl, nodeB.BaseUrl];
        await Task.WhenAll(runs);
        await nodeA.DisposeAsync();
        output.WriteLine($"{balancer.Acked.Count} requests acknowledged in all");

        await using var db = await TestStorage.OpenAsync(data);
        await Webhooks.WaitUntilAsync(() => db.ExecuteScalar<long>("SELECT count(*) FROM fold_pending") == 0, "every stored event folded", seconds: 60);

        // Every acknowledged request is stored, once.
        foreach (var hook in balancer.Acked)
        {
            var key = ThreeProviders.DedupeKey(hook);
            var stored = await db.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM raw_events WHERE account = @account AND dedupe_key = @key", new { account = key.Account, key = key.Key });
            Assert.True(stored == 1, $"{hook.Method} {hook.Path}?{hook.Query} stored {stored} times");
        }

        // Every call record is what a replay of the raw events rebuilds.
        var before = await ThreeProviders.AllCallsAsync(nodeB.Client);
        var replay = await HubProcess.RunAsync(["replay", "--data", data], TimeSpan.FromSeconds(120), env);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Equal(before, await ThreeProviders.AllCallsAsync(nodeB.Client));
        Assert.True(before.Count >= 150, $"only {before.Count} calls");

        // Every event delivered at least once, signed, in order per call; and none missing from the stream.
        var events = (await db.QueryAsync<(string Id, string CallId)>("SELECT id, call_id FROM call_events ORDER BY seq")).ToList();
        var ids = events.Select(e => e.Id).ToHashSet();
        await Webhooks.WaitUntilAsync(() => ids.IsSubsetOf(subscriber.Delivered.Select(r => r.Id)), $"all {ids.Count} events delivered", seconds: 90);
        foreach (var call in events.GroupBy(e => e.CallId))
        {
            var expected = call.Select(e => e.Id).ToList();
            Assert.Equal(expected, subscriber.Delivered.Select(r => r.Id).Where(expected.Contains).Distinct().ToList());
        }

        Assert.All(subscriber.Received.Take(50), r => Assert.True(StandardWebhooksVerifier.Verify(secret, r)));
        var streamed = await stream.TakeAsync(ids.Count, TimeSpan.FromSeconds(30));
        var streamedIds = streamed.Select(m => JsonDocument.Parse(m.Data).RootElement.GetProperty("id").GetString()!).ToList();
        Assert.Equal(streamedIds.Count, streamedIds.Distinct().Count());
        Assert.True(ids.SetEquals(streamedIds), $"stream has {streamedIds.Count} events, the log {ids.Count}");
    }
}
