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

    public IngestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        requests = meter.CreateCounter<long>("pbxhub.ingest.requests", description: "Hook requests stored (or recognised as repeats)");
        duplicates = meter.CreateCounter<long>("pbxhub.ingest.duplicates", description: "Hook requests that repeated one already stored");
        commits = meter.CreateCounter<long>("pbxhub.ingest.commits", description: "Transactions committed by the ingest writer");
        batchSize = meter.CreateHistogram<long>("pbxhub.ingest.batch_size", description: "Requests per committed transaction");
        quarantined = meter.CreateCounter<long>(
            "pbxhub.ingest.quarantined", description: "Hook requests stored in quarantine (not understood), by account, provider and reason");
    }

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
