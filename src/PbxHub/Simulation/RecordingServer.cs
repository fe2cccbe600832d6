using System.Collections.Concurrent;
using System.Globalization;
using PbxHub.Providers.Evrotel;

namespace PbxHub.Simulation;

/// <summary>
/// The simulator's stand-in for a provider's recording server (<c>--serve-recordings</c>): a generated WAV per call,
/// some behind links that work once and then expire, and some links that answer an HTML page instead of audio.
/// </summary>
internal sealed class RecordingServer : IAsyncDisposable
{
    public const string Kept = "rec";
    public const string Once = "once";
    public const string Html = "html";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, bool> served = new();

    private RecordingServer(WebApplication app) => this.app = app;

    /// <summary>A call's link: which kind it is follows from its id, so the generator draws nothing more.</summary>
    public static string Link(string server, string id) => $"{server}/{KindOf(id)}/{id}.wav";

    public static string KindOf(string id) => id[^1] switch
    {
        '0' => Html,
        '1' or '2' => Once,
        _ => Kept,
    };

    /// <summary>The recording of link <paramref name="id"/>: 8 kHz 16-bit mono, its length and tone made from the id.</summary>
    public static byte[] Wav(string id)
    {
        var n = long.Parse(id, CultureInfo.InvariantCulture);
        var wav = WavFormat.Silence(1, 8000, 16, TimeSpan.FromMilliseconds(500 + (n % 1500)));
        var period = 8 + (int)(n % 40);
        for (var i = 44; i + 1 < wav.Length; i += 2)
        {
            var sample = (short)((i / 2 % period) < period / 2 ? 3000 : -3000);
            wav[i] = (byte)sample;
            wav[i + 1] = (byte)(sample >> 8);
        }

        return wav;
    }

    public static async Task<RecordingServer> StartAsync(string url, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RecordingServer(app);
        app.MapGet($"/{Kept}/{{id}}.wav", (string id) => Results.File(Wav(id), "audio/wav"));
        app.MapGet($"/{Once}/{{id}}.wav", (string id) =>
            server.served.TryAdd(id, true) ? Results.File(Wav(id), "audio/wav") : Results.Problem(statusCode: 410, title: "This link has expired"));
        app.MapGet($"/{Html}/{{id}}.wav", () => Results.Content("<!DOCTYPE html><html><body><h1>Please sign in</h1></body></html>", "text/html"));
        await app.StartAsync(ct);
        return server;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
