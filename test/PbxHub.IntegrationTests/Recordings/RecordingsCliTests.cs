using Dapper;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Recordings;

public sealed class RecordingsCliTests
{
    [Fact]
    public async Task RecordingsFetch_LinksAnOlderVersionNeverFetched_QueuedAndKeptByTheService()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        var data = HubProcess.NewDataDirectory();
        string id;
        await using (var older = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Recordings:Enabled"] = "false" }, data))
        {
            id = await RecordingHub.SendCallAsync(older, "rec-cli", origin.BaseUrl + "/rec/cli.wav");
        }

        // What the upgrade's migration does: links already in the log are not fetched on their own.
        await using (var db = await TestStorage.OpenAsync(data))
        {
            await db.ExecuteAsync("UPDATE recording_cursor SET event_seq = (SELECT MAX(seq) FROM call_events)");
        }

        var result = await HubProcess.RunAsync(["recordings", "fetch", "--since", "2023-11-14T00:00:00Z", "--data", data], TimeSpan.FromSeconds(45));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Queued 1 recordings", result.Stdout, StringComparison.Ordinal);
        await using var hub = await RecordingHub.StartAsync(origin, dataDirectory: data);
        var recording = await RecordingHub.SettledAsync(hub, id);
        Assert.Equal("kept", recording.GetProperty("state").GetString());
        Assert.Equal(1, origin.Hits("/rec/cli.wav"));
    }
}
