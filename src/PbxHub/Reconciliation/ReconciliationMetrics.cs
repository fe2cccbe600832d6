using System.Diagnostics.Metrics;

namespace PbxHub.Reconciliation;

/// <summary>What reconciliation did: runs by provider and result, and history rows by what they were to their calls.</summary>
internal sealed class ReconciliationMetrics
{
    public const string MeterName = "PbxHub.Reconciliation";

    private readonly Counter<long> runs;
    private readonly Counter<long> calls;

    public ReconciliationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        runs = meter.CreateCounter<long>("pbxhub.reconciliation.runs", description: "Reconciliation runs, by provider and status (succeeded, failed)");
        calls = meter.CreateCounter<long>(
            "pbxhub.reconciliation.calls", description: "History rows read, by provider and kind (created, completed, differing, matched, quarantined)");
    }

    public void Ran(ReconciliationRun run, IEnumerable<ReconciliationFinding> findings)
    {
        var provider = new KeyValuePair<string, object?>("provider", run.Provider);
        runs.Add(1, provider, new KeyValuePair<string, object?>("status", run.Status));
        foreach (var kind in findings.GroupBy(f => f.Kind))
        {
            calls.Add(kind.Count(), provider, new KeyValuePair<string, object?>("kind", kind.Key));
        }
    }
}
