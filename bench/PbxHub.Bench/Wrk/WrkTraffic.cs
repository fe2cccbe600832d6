using System.Text;
using PbxHub.Bench.Traffic;
using PbxHub.Simulation;

namespace PbxHub.Bench.Wrk;

/// <summary>
/// One kind of traffic wrk sends, written beforehand as a pool of requests (one per line:
/// method, path and query, content type, body with <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\\</c> escaped), made by
/// <c>pbxhub simulate</c>'s scenario generators with fresh call ids, so every request is new to the server.
/// </summary>
internal sealed record WrkTraffic(string Name, BenchProvider Provider, bool FirstEventsOnly, string Description)
{
    public static readonly IReadOnlyList<WrkTraffic> All =
    [
        new("sipuni-new", BenchProvider.Sipuni, true, "Sipuni GETs, each the event 1 of a new call"),
        new("sipuni-calls", BenchProvider.Sipuni, false, "Sipuni whole calls (3–7 events each, the simulator's mix)"),
        new("hooktype", BenchProvider.HookType, false, "HookType JSON, whole calls"),
        new("evrotel", BenchProvider.Evrotel, true, "Evrotel form POSTs, each the start of a new call"),
    ];

    public static WrkTraffic? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>Writes <paramref name="count"/> requests for the hook path <paramref name="hookPath"/>; returns the file's path.</summary>
    public string WritePool(string folder, string hookPath, int count, int seed)
    {
        var path = Path.Combine(folder, $"{Name}-{seed}.requests");
        var traffic = new ProviderTraffic(Provider, seed, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        using var file = new StreamWriter(path, false, new UTF8Encoding(false));
        string? lastCall = null;
        var written = 0;
        while (written < count)
        {
            var request = traffic.Next();
            // An Evrotel end needs the id the server answered to its start: wrk cannot carry it, so only starts go.
            if (request.Needs is not null || request.RepliesAs is null && Provider == BenchProvider.Evrotel)
            {
                continue;
            }

            var call = CallOf(request);
            if (FirstEventsOnly && call == lastCall)
            {
                continue;
            }

            lastCall = call;
            var target = request.Body == HookBody.Query ? hookPath + "?" + request.Encoded : hookPath;
            var type = request.Body == HookBody.Query ? "" : request.ContentType;
            file.Write($"{request.Method}\t{target}\t{type}\t{Escape(request.Text)}\n");
            written++;
        }

        return path;
    }

    /// <summary>The call a request belongs to, as the generators name it (a new value starts a new call).</summary>
    private static string? CallOf(HookRequest request) =>
        request.Get("call_id") ?? request.Get("SessionID") ?? request.Encoded;

    private static string Escape(string text) => text
        .Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}
