using System.Data.Common;
using System.Net;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Security;

namespace PbxHub.IntegrationTests.Ingest;

/// <summary>
/// A hub that cannot keep up: its database is held by another writer while hooks keep coming. What the writer and
/// its queue hold is acknowledged once the database frees; the rest is refused in the provider's shape, unstored, and
/// stored when the provider sends it again.
/// </summary>
public sealed class OverloadTests
{
    private static readonly KeyValuePair<string, string>[] TinyQueue =
    [
        new("PbxHub:Ingest:QueueCapacity", "1"),
        new("PbxHub:Ingest:MaxBatchSize", "1"),
        new("PbxHub:Ingest:QueueFullWait", "00:00:01"),
    ];

    [Theory]
    [MemberData(nameof(NetworkHub.Providers), MemberType = typeof(NetworkHub))]
    public async Task Hook_QueueFullLongerThanQueueFullWait_503InProviderShapeUnstoredThenStoredWhenSentAgain(string provider)
    {
        await using var hub = await NetworkHub.StartAsync(TinyQueue);
        var account = NetworkHub.AccountOf(provider);
        Task<HttpResponseMessage>[] sent;
        await using (var blocker = await HoldWriteLockAsync(hub.DataDirectory))
        {
            // One request in the blocked writer, one in the queue; the other four find no room.
            sent = [.. Enumerable.Range(0, 6).Select(n => hub.Client.SendAsync(NetworkHub.Hook(provider, n)))];
            var running = sent.ToList();
            var refused = new List<HttpResponseMessage>();
            while (refused.Count < 4)
            {
                // Bounded so that a hub which queues without limit fails here instead of hanging the run.
                var done = await Task.WhenAny(running).WaitAsync(TimeSpan.FromSeconds(30));
                running.Remove(done);
                refused.Add(await done);
            }

            foreach (var response in refused)
            {
                await NetworkHub.AssertProviderFailureAsync(provider, response, HttpStatusCode.ServiceUnavailable);
                Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            }

            Assert.Equal(2, sent.Count(t => !t.IsCompleted));
        }

        var answers = await Task.WhenAll(sent);
        var accepted = answers.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Equal(2, accepted.Count);
        foreach (var response in accepted)
        {
            await NetworkHub.AssertAcceptedAsync(provider, response);
        }

        Assert.Equal(2, (await NetworkHub.StoredAsync(hub, account)).Count);
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var metrics = await anonymous.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("pbxhub_http_refused_total{", StringComparison.Ordinal)
            && l.Contains("reason=\"overloaded\"", StringComparison.Ordinal) && l.Contains("surface=\"hooks\"", StringComparison.Ordinal)
            && l.EndsWith(" 4", StringComparison.Ordinal));

        // The provider's retries: each refused request is stored once the hub has room.
        for (var n = 0; n < 6; n++)
        {
            using var again = await hub.Client.SendAsync(NetworkHub.Hook(provider, n));
            await NetworkHub.AssertAcceptedAsync(provider, again);
        }

        var stored = await NetworkHub.StoredAsync(hub, account);
        Assert.Equal(6, stored.Count);
        Assert.All(stored, r => Assert.Equal("hook", r.Kind));
        foreach (var response in answers)
        {
            response.Dispose();
        }
    }

    /// <summary>Another writer holding the database, as a long transaction or a backup would.</summary>
    private static async Task<DbConnection> HoldWriteLockAsync(string dataDirectory)
    {
        var connection = await TestStorage.OpenAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = TestStorage.IsPostgres ? "BEGIN; LOCK TABLE raw_events IN SHARE ROW EXCLUSIVE MODE" : "BEGIN IMMEDIATE";
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}
