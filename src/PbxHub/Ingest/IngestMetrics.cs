using System.Diagnostics.Metrics;

namespace PbxHub.Ingest;

/// <summary>What ingest did: requests stored, repeats recognised, and the commits they shared.</summary>
internal sealed class IngestMetrics
{
    public const string MeterName = "PbxHub.Ingest";

    private readonly Counter<long> requests;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> commits;
    private readonly Histogram<long> batchSize;

    public IngestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        requests = meter.CreateCounter<long>("pbxhub.ingest.requests", description: "Hook requests stored (or recognised as repeats)");
        duplicates = meter.CreateCounter<long>("pbxhub.ingest.duplicates", description: "Hook requests that repeated one already stored");
        commits = meter.CreateCounter<long>("pbxhub.ingest.commits", description: "Transactions committed by the ingest writer");
        batchSize = meter.CreateHistogram<long>("pbxhub.ingest.batch_size", description: "Requests per committed transaction");
    }

    public void Committed(int count, int repeated)
    {
        requests.Add(count);
        duplicates.Add(repeated);
        commits.Add(1);
        batchSize.Record(count);
    }
}
