using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Recordings;

public sealed class RecordingFetchTests
{
    [Fact]
    public async Task Fetch_WavLink_KeptWithMetadataServedByteForByteAndEventEmitted()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);

        var id = await RecordingHub.SendCallAsync(hub, "rec-ok", origin.BaseUrl + "/rec/a.wav");
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("kept", recording.GetProperty("state").GetString());
        Assert.Equal($"/api/v1/calls/{id}/recording", recording.GetProperty("url").GetString());
        Assert.Equal("audio/wav", recording.GetProperty("contentType").GetString());
        Assert.Equal(RecordingOrigin.Wav.Length, recording.GetProperty("bytes").GetInt64());
        Assert.Equal(2.0, recording.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(RecordingOrigin.Wav)), recording.GetProperty("sha256").GetString());
        using var file = await hub.Client.GetAsync($"/api/v1/calls/{id}/recording");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("audio/wav", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(RecordingOrigin.Wav, await file.Content.ReadAsByteArrayAsync());
        var timeline = await hub.Client.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{id}/timeline");
        Assert.Contains(timeline.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "call.recording.kept");
        Assert.Contains(timeline.GetProperty("raw").EnumerateArray(), r => r.GetProperty("kind").GetString() == "recording");
        Assert.Equal(1, origin.Hits("/rec/a.wav"));
    }

    [Fact]
    public async Task Fetch_LinkFailsTwiceThenWorks_Kept()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);

        var id = await RecordingHub.SendCallAsync(hub, "rec-flaky", origin.BaseUrl + "/flaky/a.wav");
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("kept", recording.GetProperty("state").GetString());
        Assert.Equal(3, origin.Hits("/flaky/a.wav"));
    }

    [Fact]
    public async Task Fetch_OneTimeLink_KeptFromItsOnlyDownload()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);

        var id = await RecordingHub.SendCallAsync(hub, "rec-once", origin.BaseUrl + "/once/a.wav");
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("kept", recording.GetProperty("state").GetString());
        Assert.Equal(RecordingOrigin.Wav, await hub.Client.GetByteArrayAsync($"/api/v1/calls/{id}/recording"));
        Assert.Equal(1, origin.Hits("/once/a.wav"));
    }

    [Fact]
    public async Task Fetch_HtmlPageInsteadOfAudio_FailedWithReasonAfterRetries()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);

        var id = await RecordingHub.SendCallAsync(hub, "rec-html", origin.BaseUrl + "/html/a.wav");
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("failed", recording.GetProperty("state").GetString());
        Assert.Contains("not a recording", recording.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("Session expired", recording.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, origin.Hits("/html/a.wav"));
        using var file = await hub.Client.GetAsync($"/api/v1/calls/{id}/recording");
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
    }

    [Fact]
    public async Task Fetch_LargerThanMaxBytes_FailedAtOnce()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Recordings:MaxBytes"] = "100000" });

        var id = await RecordingHub.SendCallAsync(hub, "rec-big", origin.BaseUrl + "/big/a.wav");
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("failed", recording.GetProperty("state").GetString());
        Assert.Contains("larger than 100000 bytes", recording.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, origin.Hits("/big/a.wav"));
    }

    [Fact]
    public async Task Fetch_LinkToTheMetadataAddress_RefusedWithoutARequest()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Accounts:0:Recordings:Hosts"] = "*" });

        var id = await RecordingHub.SendCallAsync(hub, "rec-metadata", "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("failed", recording.GetProperty("state").GetString());
        Assert.Contains("BlockedNetworks", recording.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_HostNotOfTheAccount_Refused()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Accounts:0:Recordings:Hosts"] = "records.example.com" });

        var id = await RecordingHub.SendCallAsync(hub, "rec-host", origin.BaseUrl + "/rec/a.wav");
        var recording = await RecordingHub.SettledAsync(hub, id);

        Assert.Equal("failed", recording.GetProperty("state").GetString());
        Assert.Contains("not one of the account's recording hosts", recording.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, origin.Hits("/rec/a.wav"));
    }

    [Fact]
    public async Task Fetch_HubKilledMidDownload_ResumedAfterRestart()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        var data = Path.Combine(Path.GetTempPath(), "pbxhub-tests", Guid.NewGuid().ToString("n"));
        var more = new Dictionary<string, string> { ["PbxHub:Recordings:FetchTimeout"] = "00:00:03", ["PbxHub:Recordings:ClaimFor"] = "00:00:04" };
        string id;
        await using (var first = await RecordingHub.StartAsync(origin, more, data))
        {
            id = await RecordingHub.SendCallAsync(first, "rec-stall", origin.BaseUrl + "/stall/a.wav");
            await origin.StallStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }

        // Stopped while it waited for the rest: its claim is left behind as a kill leaves it; once it runs out
        // (ClaimFor) the restarted hub takes the recording over.
        await using var second = await RecordingHub.StartAsync(origin, more, data);
        var recording = await RecordingHub.SettledAsync(second, id, TimeSpan.FromSeconds(30));

        Assert.Equal("kept", recording.GetProperty("state").GetString());
        Assert.Equal(RecordingOrigin.Wav, await second.Client.GetByteArrayAsync($"/api/v1/calls/{id}/recording"));
        Assert.Equal(2, origin.Hits("/stall/a.wav"));
    }
}

public sealed class RecordingReplayTests
{
    [Fact]
    public async Task Replay_AfterRecordingKeptAndAnotherFailed_SameRecordsAndNoNewEvents()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Recordings:Enabled"] = "true" });
        var kept = await RecordingHub.SendCallAsync(hub, "rec-replay-kept", origin.BaseUrl + "/rec/replay.wav");
        var failed = await RecordingHub.SendCallAsync(hub, "rec-replay-html", origin.BaseUrl + "/html/replay.wav");
        await RecordingHub.SettledAsync(hub, kept);
        await RecordingHub.SettledAsync(hub, failed);
        var before = (await hub.Client.GetStringAsync($"/api/v1/calls/{kept}"), await hub.Client.GetStringAsync($"/api/v1/calls/{failed}"));

        var summary = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<PbxHub.Calls.Replayer>(hub.Services).ReplayAsync(null, default);

        Assert.Equal(0, summary.NewEvents);
        Assert.Equal(before, (await hub.Client.GetStringAsync($"/api/v1/calls/{kept}"), await hub.Client.GetStringAsync($"/api/v1/calls/{failed}")));
        Assert.Contains("\"state\":\"kept\"", before.Item1, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"failed\"", before.Item2, StringComparison.Ordinal);
    }
}
