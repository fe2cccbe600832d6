using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Recordings;

namespace PbxHub.IntegrationTests.Recordings;

public sealed class RecordingS3Tests
{
    [Fact]
    public async Task Fetch_S3Store_ObjectInTheBucketAndTheSameApiAnswersAsFiles()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var s3 = await S3rver.StartAsync();
        await using var onFiles = await RecordingHub.StartAsync(origin);
        await using var onS3 = await RecordingHub.StartAsync(origin, s3.Settings());

        var files = await AnswersAsync(onFiles, origin);
        var objects = await AnswersAsync(onS3, origin);

        Assert.IsType<S3RecordingStore>(onS3.Services.GetRequiredService<IRecordingStore>());
        await using (var stored = await onS3.Services.GetRequiredService<IRecordingStore>().OpenAsync($"{HubServer.AccountId}/{files.Id}.wav", 0, RecordingOrigin.Wav.Length, default))
        {
            using var copy = new MemoryStream();
            await stored!.CopyToAsync(copy);
            Assert.Equal(RecordingOrigin.Wav, copy.ToArray());
        }

        Assert.False(Directory.Exists(Path.Combine(onS3.DataDirectory, "recordings")));
        Assert.Equal(files, objects);
    }

    /// <summary>What a client sees of one call's recording: the record's object (less when it was kept), the file, a range.</summary>
    private static async Task<Answers> AnswersAsync(HubServer hub, RecordingOrigin origin)
    {
        var id = await RecordingHub.SendCallAsync(hub, "rec-s3", origin.BaseUrl + "/rec/s3.wav");
        var recording = await RecordingHub.SettledAsync(hub, id);
        var fields = recording.EnumerateObject().Where(p => p.Name != "keptAt").Select(p => $"{p.Name}={p.Value}");
        var whole = await hub.Client.GetByteArrayAsync($"/api/v1/calls/{id}/recording");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/calls/{id}/recording") { Headers = { Range = new RangeHeaderValue(1000, 1999) } };
        using var range = await hub.Client.SendAsync(request);
        var headers = $"{(int)range.StatusCode} {range.Content.Headers.ContentType} {range.Content.Headers.ContentRange} {range.Content.Headers.ContentLength} {range.Headers.ETag}";
        return new Answers(id, string.Join(", ", fields), Convert.ToHexString(whole), headers, Convert.ToHexString(await range.Content.ReadAsByteArrayAsync()));
    }

    private sealed record Answers(string Id, string Record, string File, string RangeHeaders, string Range);
}
