using System.Diagnostics.Metrics;

namespace PbxHub.Ingest;

/// <summary>What ingest did: requests stored, repeats recognised, requests quarantined, and the commits they shared.</summary>
internal sealed class IngestMetrics
{
    public const string MeterName = "PbxHub.Ingest";

    private readonly Counter<long> requests;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> commits;
    private readonly Histogram<long> batchSize;
    private readonly Counter<long> quarantined;
    private readonly Counter<double> writerTime;
    private static readonly KeyValuePair<string, object?>[] WriterTags = Tags<WriterState>();
    private static readonly KeyValuePair<string, object?>[] FoldTags = Tags<FoldState>();

    public IngestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        requests = meter.CreateCounter<long>("pbxhub.ingest.requests", description: "Hook requests stored (or recognised as repeats)");
        duplicates = meter.CreateCounter<long>("pbxhub.ingest.duplicates", description: "Hook requests that repeated one already stored");
        commits = meter.CreateCounter<long>("pbxhub.ingest.commits", description: "Transactions committed by the ingest writer");
        batchSize = meter.CreateHistogram<long>("pbxhub.ingest.batch_size", description: "Requests per committed transaction");
        quarantined = meter.CreateCounter<long>(
            "pbxhub.ingest.quarantined", description: "Hook requests stored in quarantine (not understood), by account, provider and reason");
        writerTime = meter.CreateCounter<double>(
            "pbxhub.ingest.writer.time", unit: "s",
            description: "Time the single writer spent in each state (docs/storage.md, The scheduler): waiting states are idle time, the rest is the write path's work");
    }

    /// <summary>The writer spent <paramref name="elapsed"/> in <paramref name="state"/>: where the write path's time goes.</summary>
    public void WriterTime(WriterState state, TimeSpan elapsed) => writerTime.Add(elapsed.TotalSeconds, WriterTags[(int)state]);

    /// <summary>The same for the fold loop that runs beside the acknowledgements on PostgreSQL.</summary>
    public void WriterTime(FoldState state, TimeSpan elapsed) => writerTime.Add(elapsed.TotalSeconds, FoldTags[(int)state]);

    /// <summary>Each state's tag, named as in the metric: <c>Acking</c> is <c>acking</c>, <c>FoldingOrphans</c> <c>folding_orphans</c>.</summary>
    private static KeyValuePair<string, object?>[] Tags<TState>()
        where TState : struct, Enum =>
        [.. Enum.GetValues<TState>().Select(state => new KeyValuePair<string, object?>("state", string.Concat(
            state.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()))))];

    public void Committed(int count, int repeated)
    {
        requests.Add(count);
        duplicates.Add(repeated);
        commits.Add(1);
        batchSize.Record(count);
    }

    /// <summary>A request newly stored in quarantine (a repeat of one already there is not counted again).</summary>
    public void Quarantined(string account, string provider, string reason) =>
        quarantined.Add(
            1,
            new KeyValuePair<string, object?>("account", account),
            new KeyValuePair<string, object?>("provider", provider),
            new KeyValuePair<string, object?>("reason", QuarantineReasons.Kind(reason)));
}
