using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Fuzzing;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Security;
using PbxHub.Storage;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>
/// What else reads the database while PostgreSQL is down: the sweeper, retention and live-stream clients. The log tells
/// of the outage once (not a stack trace per sweep, pruning round or stream poll) and the stream goes on once it is back.
/// </summary>
public sealed class PostgresOutageLogTests
{
    [PostgresFact]
    public async Task Outage_SweeperRetentionAndLiveStreamBusy_OneLogLineAndTheStreamGoesOnWhenBack()
    {
        await using var postgres = await OwnPostgres.StartAsync();
        var logs = new CapturedLogs();
        await using var hub = await PostgresOutageTests.StartHubAsync(postgres, logs, new Dictionary<string, string>
        {
            ["PbxHub:Calls:SweepInterval"] = "00:00:00.200",
            ["PbxHub:Retention:RawEventDays"] = "30",
            ["PbxHub:Retention:Interval"] = "00:00:01",
            ["PbxHub:Delivery:StreamPollInterval"] = "00:00:00.200",
        });
        await using var stream = await SseClient.ConnectAsync(hub.Client, "/api/v1/stream");

        await postgres.StopAsync();
        var opened = Stopwatch.StartNew();
        while (!logs.Entries.Any(e => e.Message.StartsWith("Storage fault (", StringComparison.Ordinal)) && opened.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }

        // Several sweeps, pruning rounds and stream polls have failed (as the hub counted them, not as a sleep hoped).
        var faults = hub.Services.GetRequiredService<StorageFaults>();
        string[] places = ["sweeping open calls", "retention pruning", "live stream"];
        await Webhooks.WaitUntilAsync(() => places.All(p => faults.FailuresAt(p) >= 3), $"three failures each of {string.Join(", ", places)}", seconds: 30);
        var logged = logs.Unhandled;
        Assert.True(logged.Count == 1, string.Join("\n---\n", logged));
        Assert.StartsWith("Storage fault (", logged[0].Message, StringComparison.Ordinal);

        await postgres.StartAgainAsync();
        using (var hook = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", 1)))
        {
            await NetworkHub.AssertAcceptedAsync("sipuni", hook);
        }

        // The client the outage found connected gets the event without reconnecting.
        var message = await stream.NextAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(message);
        Assert.Equal("call.started", message.Event);
        Assert.Contains("net-1", message.Data, StringComparison.Ordinal);
        Assert.Single(logs.Unhandled);
        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Storage fault over", StringComparison.Ordinal));
    }
}
