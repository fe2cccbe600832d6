using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Providers.Evrotel;

namespace PbxHub.IntegrationTests.Recordings;

/// <summary>
/// A provider's recording server on 127.0.0.1: WAV files, a link that fails twice then works, a link that works once,
/// an HTML error page, an oversized file and a download that stalls half-way the first time.
/// </summary>
internal sealed class RecordingOrigin : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> hits = new();

    private RecordingOrigin(WebApplication app) => this.app = app;

    /// <summary>Two seconds of 8 kHz 16-bit mono: 32,044 bytes.</summary>
    public static byte[] Wav { get; } = WavFormat.Silence(1, 8000, 16, TimeSpan.FromSeconds(2));

    /// <summary>Ten MPEG-1 Layer III frames at 128 kbit/s, 44.1 kHz (417 bytes each, silent): what a PBX that records MP3 serves.</summary>
    public static byte[] Mp3 { get; } = [.. Enumerable.Range(0, 10).SelectMany(_ => (byte[])[0xFF, 0xFB, 0x90, 0x64, .. new byte[413]])];

    public string BaseUrl => TestKestrel.BaseUrl(app);

    /// <summary>The account setting that lets the hub fetch from here.</summary>
    public string Host => new Uri(BaseUrl).Authority;

    public TaskCompletionSource StallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Hits(string path) => hits.GetValueOrDefault(path);

    public static async Task<RecordingOrigin> StartAsync()
    {
        var app = TestKestrel.Create();
        var origin = new RecordingOrigin(app);
        app.Use(async (http, next) =>
        {
            origin.hits.AddOrUpdate(http.Request.Path.Value!, 1, (_, n) => n + 1);
            await next(http);
        });
        app.MapGet("/rec/{name}", (string name) => Results.File(Wav, "audio/x-wav"));
        app.MapGet("/mp3/{name}", (string name) => Results.File(Mp3, "audio/mpeg"));
        app.MapGet("/flaky/{name}", (HttpContext http) =>
            origin.Hits(http.Request.Path.Value!) <= 2 ? Results.StatusCode(503) : Results.File(Wav, "audio/wav"));
        app.MapGet("/once/{name}", (HttpContext http) =>
            origin.Hits(http.Request.Path.Value!) == 1 ? Results.File(Wav, "audio/wav") : Results.NotFound());
        app.MapGet("/html/{name}", () => Results.Content("<html><body>Session expired, please log in</body></html>", "text/html"));
        app.MapGet("/big/{name}", () => Results.File(WavFormat.Silence(1, 8000, 16, TimeSpan.FromSeconds(10)), "audio/wav"));
        app.MapGet("/stall/{name}", async (HttpContext http) =>
        {
            http.Response.ContentType = "audio/wav";
            if (origin.Hits(http.Request.Path.Value!) == 1)
            {
                // Half the file, then nothing: the hub is killed while it waits for the rest.
                http.Response.ContentLength = Wav.Length;
                await http.Response.Body.WriteAsync(Wav.AsMemory(0, Wav.Length / 2));
                await http.Response.Body.FlushAsync();
                origin.StallStarted.TrySetResult();
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await http.Response.Body.WriteAsync(Wav);
        });
        await app.StartAsync();
        return origin;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
