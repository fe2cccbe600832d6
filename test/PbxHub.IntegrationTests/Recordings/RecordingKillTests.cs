using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Ingest;

namespace PbxHub.IntegrationTests.Recordings;

/// <summary>The real <c>pbxhub serve</c> killed with SIGKILL while it downloads a recording: no shutdown code runs.</summary>
[Collection(nameof(KillCollection))]
public sealed class RecordingKillTests
{
    private static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Fetch_ProcessKilledMidDownload_KeptByTheRestartedProcessOnceTheClaimRunsOut()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        var data = HubProcess.NewDataDirectory();
        var environment = HubProcess.DemoEnvironment();
        environment["PbxHub__Accounts__0__Recordings__Hosts"] = origin.Host;
        environment["PbxHub__Recordings__PollInterval"] = "00:00:00.100";
        environment["PbxHub__Recordings__FetchTimeout"] = "00:00:03";
        environment["PbxHub__Recordings__ClaimFor"] = "00:00:04";
        var id = StableIds.CallId(HubServer.AccountId, "rec-kill");
        DateTimeOffset stalled;
        await using (var first = await HubProcess.StartAsync(data, environment))
        {
            await RecordingHub.SendCallAsync(first.Client, first.HookPath, "rec-kill", origin.BaseUrl + "/stall/kill.wav");
            await origin.StallStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
            stalled = TimeProvider.System.GetUtcNow();
            await first.KillAsync();
        }

        await using var second = await HubProcess.StartAsync(data, environment);
        var recording = await RecordingHub.SettledAsync(second.Client, id, TimeSpan.FromSeconds(30));

        Assert.Equal("kept", recording.GetProperty("state").GetString());
        Assert.Equal(RecordingOrigin.Wav, await second.Client.GetByteArrayAsync($"/api/v1/calls/{id}/recording"));
        Assert.Equal(2, origin.Hits("/stall/kill.wav"));
        // Taken over only once the dead process's claim ran out (it was made just before the download stalled).
        Assert.True(recording.GetProperty("keptAt").GetDateTimeOffset() >= stalled + ClaimFor - TimeSpan.FromSeconds(1), recording.ToString());
        var leftovers = Directory.Exists(Path.Combine(data, "recordings")) ? Directory.GetFiles(Path.Combine(data, "recordings"), "*.part", SearchOption.AllDirectories) : [];
        Assert.Empty(leftovers);
    }
}
