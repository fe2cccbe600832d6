using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Recordings;

namespace PbxHub.IntegrationTests.Recordings;

public sealed class RecordingRetentionTests
{
    [Fact]
    public async Task Prune_RecordingKeptLongerThanRetention_FileDeletedAndRecordSaysDeleted()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Retention:Recordings"] = "30" });
        var oldId = await RecordingHub.SendCallAsync(hub, "rec-old", origin.BaseUrl + "/rec/old.wav");
        var newId = await RecordingHub.SendCallAsync(hub, "rec-new", origin.BaseUrl + "/rec/new.wav");
        await RecordingHub.SettledAsync(hub, oldId);
        await RecordingHub.SettledAsync(hub, newId);
        var oldFile = Path.Combine(hub.DataDirectory, "recordings", HubServer.AccountId, oldId + ".wav");
        Assert.True(File.Exists(oldFile));
        // An MP3 asked for once is cached beside the WAV; retention removes it too.
        var oldMp3 = Path.ChangeExtension(oldFile, ".mp3");
        using (var mp3 = await hub.Client.GetAsync($"/api/v1/calls/{oldId}/recording?format=mp3"))
        {
            Assert.Equal(HttpStatusCode.OK, mp3.StatusCode);
        }

        Assert.True(File.Exists(oldMp3));
        await using (var db = await TestStorage.OpenAsync(hub.DataDirectory))
        {
            // Kept 31 days ago, as far as retention can tell.
            await db.ExecuteAsync("UPDATE recordings SET completed_at = completed_at - @age WHERE call_id = @oldId", new { age = (long)TimeSpan.FromDays(31).TotalMilliseconds, oldId });
        }

        var deleted = await hub.Services.GetRequiredService<RecordingRetention>().PruneAsync(default);

        Assert.Equal(1, deleted);
        Assert.False(File.Exists(oldFile));
        Assert.False(File.Exists(oldMp3));
        Assert.True(File.Exists(Path.Combine(hub.DataDirectory, "recordings", HubServer.AccountId, newId + ".wav")));
        var record = await RecordingHub.SettledAsync(hub, oldId);
        Assert.Equal("deleted", record.GetProperty("state").GetString());
        using var gone = await hub.Client.GetAsync($"/api/v1/calls/{oldId}/recording");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        using var goneMp3 = await hub.Client.GetAsync($"/api/v1/calls/{oldId}/recording?format=mp3");
        Assert.Equal(HttpStatusCode.Gone, goneMp3.StatusCode);
        Assert.Equal(RecordingOrigin.Wav, await hub.Client.GetByteArrayAsync($"/api/v1/calls/{newId}/recording"));
    }
}
