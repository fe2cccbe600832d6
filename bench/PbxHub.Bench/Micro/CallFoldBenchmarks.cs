using BenchmarkDotNet.Attributes;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Providers.Sipuni;
using PbxHub.Storage;

namespace PbxHub.Bench.Micro;

/// <summary>
/// Folding the spec's 7-event transfer: <see cref="Fold"/> is <see cref="CallFold"/> alone over parsed
/// signals; <see cref="Rebuild"/> is what ingest does for a touched call in every batch (parse every
/// stored raw event of the call again, then fold). Public and unsealed because BenchmarkDotNet
/// generates a class deriving from it.
/// </summary>
[MemoryDiagnoser]
public class CallFoldBenchmarks
{
    private static readonly DateTimeOffset Received = DateTimeOffset.FromUnixTimeSeconds(1378296050);

    private readonly Account account = new(
        "demo", "sipuni", "secret", "Europe/Moscow", "RU", new Dictionary<string, string> { ["Sipuni:UserNumber"] = "012345" }, AccountSources.Configuration);

    private readonly CallRecords builder = new(new ProviderRegistry([new SipuniAdapter()]), new PbxHub.Reconciliation.HistoryRegistry([]));
    private readonly CallIdentity identity = new("call-1", "demo", "sipuni", SpecTransferExample.CallId, Received);
    private List<RawRow> raws = [];
    private List<CallSignal> signals = [];

    [GlobalSetup]
    public void Setup()
    {
        var adapter = new SipuniAdapter();
        raws = [];
        signals = [];
        foreach (var query in SpecTransferExample.Queries)
        {
            var request = new RawRequest("GET", null, query, [], new Dictionary<string, string>(), Received);
            var parsed = (HookParse.Parsed)adapter.Parse(account, request);
            raws.Add(new RawRow(raws.Count + 1, account.Id, account.Provider, RawKinds.Hook, parsed.CallKey, parsed.DedupeKey, request, null));
            signals.AddRange(parsed.Signals);
        }

        if (CallFold.Fold(identity, signals) is not { State: "ended", Outcome: "answered" })
        {
            throw new InvalidOperationException("The spec example did not fold to an answered, ended call.");
        }
    }

    [Benchmark(Baseline = true)]
    public object? Fold() => CallFold.Fold(identity, signals);

    [Benchmark]
    public object? Rebuild() => builder.Fold(account, SpecTransferExample.CallId, raws);
}
