using System.Globalization;
using System.Text.RegularExpressions;

namespace PbxHub.Bench.Freshness;

/// <summary>One stage's share of the hub's CPU samples and the frame it was read from.</summary>
internal sealed record StageShare(string Stage, double Percent, string Frame);

/// <summary>
/// CPU by stage from <c>dotnet-trace report TRACE topN --inclusive</c> of a <c>collect-linux</c> CPU profile. That
/// report has inclusive shares per frame but no stacks, so each stage's share is the largest inclusive share among its
/// entry frames (its outermost frame holds the rest of it); what no stage claims is HTTP and the rest: Kestrel, the
/// middleware, the hook endpoint outside parsing, the thread pool, GC. An approximation: async continuations split a
/// stage's CPU over several frames and only the largest is kept, so each stage is a lower bound and the rest an upper
/// one; good for where the time goes, not for a third digit.
/// </summary>
internal static partial class StageShares
{
    private static readonly (string Stage, Regex Frame)[] Stages =
    [
        ("parse", new(@"^(Providers\.ProviderAdapterExtensions::ParseSafely|\w+\.\w+Adapter::Parse\()")),
        ("store", new(@"^(Ingest\.IngestWriter(\+<WriteBatchAsync>|::WriteBatchAsync\()|Storage\.WriteSession(\+<AppendRawAsync>|::AppendRawAsync\())")),
        ("fold", new(@"^(Ingest\.IngestWriter(\+<FoldAsync>|::FoldAsync\()|Calls\.(FoldStage|CallRecords|CallFold)[+:])")),
        ("outbox (webhook dispatch)", new(@"^Delivery\.Webhook")),
        ("stream (SSE)", new(@"^(Delivery\.StreamEndpoint|Storage\.SqlDeliveryStore\+<EventsAfterAsync>)")),
        ("API reads (the bench's GETs)", new(@"^(Api\.|Calls\.FreshCallQueries|Calls\.FreshReads)")),
        ("JIT", new(@"^libclrjit\.so!")),
        ("thread pool spinning, parking", new(@"^(Threading\.(LowLevelSpinWaiter|LowLevelLifoSemaphore)::Wait|libc\.so\.6!__sched_yield)")),
    ];

    /// <summary><c>profile-stages REPORT [--cpu-us N]</c>: the shares of a saved report (and µs per request, given the CPU per request).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length is not (1 or 3) || !File.Exists(args[0]) || args.Length == 3 && args[1] != "--cpu-us")
        {
            Console.Error.WriteLine("profile-stages REPORT [--cpu-us MICROSECONDS-PER-REQUEST]   (REPORT: dotnet-trace report TRACE topN --inclusive -n 3000 > REPORT)");
            return 2;
        }

        var cpuUs = args.Length == 3 ? double.Parse(args[2], CultureInfo.InvariantCulture) : double.NaN;
        Print(FromTopN(await File.ReadAllTextAsync(args[0])), cpuUs);
        return 0;
    }

    public static IReadOnlyList<StageShare> FromTopN(string report)
    {
        var frames = report.Split('\n').Select(l => Line().Match(l)).Where(m => m.Success)
            .Select(m => (Name: m.Groups[1].Value, Percent: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        var shares = Stages.Select(s => frames.Where(f => s.Frame.IsMatch(f.Name)).Select(f => new StageShare(s.Stage, f.Percent, f.Name))
            .MaxBy(f => f.Percent) ?? new StageShare(s.Stage, 0, "(none)")).ToList();
        shares.Insert(0, new StageShare("HTTP and the rest", Math.Max(0, 100 - shares.Sum(s => s.Percent)), "100 % less the stages below"));
        return shares;
    }

    /// <param name="cpuUsPerRequest">The hub's CPU per acknowledged request over the phase, or NaN.</param>
    public static void Print(IReadOnlyList<StageShare> shares, double cpuUsPerRequest)
    {
        Console.WriteLine("  CPU by stage (share of the hub's samples; µs per acknowledged request; the frame read)");
        foreach (var s in shares)
        {
            var us = double.IsNaN(cpuUsPerRequest) ? "" : (cpuUsPerRequest * s.Percent / 100).ToString("0", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {s.Stage,-30}{s.Percent,7:0.0} %{us,8}  {s.Frame}"));
        }
    }

    [GeneratedRegex(@"^\s*\d+\.\s+(.*?)\s+([\d.]+)%\s+[\d.]+%\s*$")]
    private static partial Regex Line();
}
