using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Recordings;

namespace PbxHub.IntegrationTests.Recordings;

/// <summary>MP3 on demand (<c>?format=mp3</c>): a kept WAV encoded by ffmpeg (installed by test.sh), cached beside it.</summary>
public sealed class RecordingMp3Tests
{
    [Fact]
    public async Task Get_FormatMp3OfKeptWav_Mp3EncodedCachedBesideItAndRangesServed()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);
        var id = await RecordingHub.SendCallAsync(hub, "rec-mp3", origin.BaseUrl + "/rec/a.wav");
        await RecordingHub.SettledAsync(hub, id);

        using var response = await hub.Client.GetAsync($"/api/v1/calls/{id}/recording?format=mp3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        var mp3 = await response.Content.ReadAsByteArrayAsync();
        var audio = AudioHeader.Read(mp3.AsSpan(0, Math.Min(mp3.Length, AudioHeader.HeadLength)), mp3.Length);
        Assert.Equal("audio/mpeg", audio?.ContentType);
        Assert.InRange(audio!.DurationSeconds!.Value, 1.8, 2.4);
        var cached = Path.Combine(hub.DataDirectory, "recordings", HubServer.AccountId, id + ".mp3");
        Assert.Equal(mp3, await File.ReadAllBytesAsync(cached));

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/calls/{id}/recording?format=mp3") { Headers = { Range = new RangeHeaderValue(100, 199) } };
        using var part = await hub.Client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-199/{mp3.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(mp3[100..200], await part.Content.ReadAsByteArrayAsync());
        using var wav = await hub.Client.GetAsync($"/api/v1/calls/{id}/recording");
        Assert.Equal(RecordingOrigin.Wav, await wav.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_FormatMp3AfterTheCallsRecordingChanged_EncodedFromTheNewFile()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);
        var id = await RecordingHub.SendCallAsync(hub, "rec-mp3-new", origin.BaseUrl + "/rec/first.wav");
        await RecordingHub.SettledAsync(hub, id);
        Assert.InRange(Duration(await hub.Client.GetByteArrayAsync($"/api/v1/calls/{id}/recording?format=mp3")), 1.8, 2.4);

        // The call's link changes to a ten-second recording: queued again as the scout queues a changed link.
        await using (var db = await TestStorage.OpenAsync(hub.DataDirectory))
        {
            await db.ExecuteAsync(
                """
                UPDATE recordings SET source_url = @url, state = 'pending', attempts = 0, next_attempt_at = 0, reason = NULL,
                    store_key = NULL, sha256 = NULL, completed_at = NULL WHERE call_id = @id
                """, new { url = origin.BaseUrl + "/big/second.wav", id });
        }

        await Webhooks.WaitUntilAsync(() => origin.Hits("/big/second.wav") > 0, "the new link fetched");
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(20);
        while ((await RecordingHub.SettledAsync(hub, id)).GetProperty("durationSeconds").GetDouble() < 9 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(50);
        }

        Assert.InRange(Duration(await hub.Client.GetByteArrayAsync($"/api/v1/calls/{id}/recording?format=mp3")), 9.5, 10.5);
    }

    [Fact]
    public async Task SignedLink_FormatMp3_ServesTheMp3WithoutKey()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);
        var id = await RecordingHub.SendCallAsync(hub, "rec-mp3-link", origin.BaseUrl + "/rec/a.wav");
        await RecordingHub.SettledAsync(hub, id);

        using var created = await hub.Client.PostAsync($"/api/v1/calls/{id}/recording/link", null);
        var url = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync(url + "?format=mp3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await hub.Client.GetByteArrayAsync($"/api/v1/calls/{id}/recording?format=mp3"), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_FormatMp3OfKeptMp3_ServedAsKept()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Recordings:Encoder"] = "/nonexistent/ffmpeg" });
        var id = await RecordingHub.SendCallAsync(hub, "rec-mp3-kept", origin.BaseUrl + "/mp3/a.mp3");
        Assert.Equal("audio/mpeg", (await RecordingHub.SettledAsync(hub, id)).GetProperty("contentType").GetString());

        using var response = await hub.Client.GetAsync($"/api/v1/calls/{id}/recording?format=mp3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RecordingOrigin.Mp3, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_FormatMp3EncoderNotInstalled_501NamingWhatToInstall()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Recordings:Encoder"] = "/nonexistent/ffmpeg" });
        var id = await RecordingHub.SendCallAsync(hub, "rec-mp3-none", origin.BaseUrl + "/rec/a.wav");
        await RecordingHub.SettledAsync(hub, id);

        using var response = await hub.Client.GetAsync($"/api/v1/calls/{id}/recording?format=mp3");

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("apt-get install ffmpeg", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("/nonexistent/ffmpeg", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownFormat_BadRequest()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);
        var id = await RecordingHub.SendCallAsync(hub, "rec-ogg", origin.BaseUrl + "/rec/a.wav");
        await RecordingHub.SettledAsync(hub, id);

        using var response = await hub.Client.GetAsync($"/api/v1/calls/{id}/recording?format=ogg");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static double Duration(byte[] mp3) =>
        AudioHeader.Read(mp3.AsSpan(0, Math.Min(mp3.Length, AudioHeader.HeadLength)), mp3.Length)?.DurationSeconds ?? 0;

    [Fact]
    public async Task Get_FormatMp3OnS3_CachedAsAnObjectBesideTheWav()
    {
        await using var s3 = await S3rver.StartAsync();
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, s3.Settings());
        var id = await RecordingHub.SendCallAsync(hub, "rec-mp3-s3", origin.BaseUrl + "/rec/a.wav");
        await RecordingHub.SettledAsync(hub, id);

        var mp3 = await hub.Client.GetByteArrayAsync($"/api/v1/calls/{id}/recording?format=mp3");

        Assert.Equal("audio/mpeg", AudioHeader.Read(mp3.AsSpan(0, Math.Min(mp3.Length, AudioHeader.HeadLength)), mp3.Length)?.ContentType);
        var store = hub.Services.GetRequiredService<IRecordingStore>();
        Assert.Equal(mp3.Length, await store.LengthAsync($"{HubServer.AccountId}/{id}.mp3", default));
        Assert.Equal(mp3, await hub.Client.GetByteArrayAsync($"/api/v1/calls/{id}/recording?format=mp3"));
    }
}
