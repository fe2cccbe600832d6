namespace PbxHub.Calls;

/// <summary>
/// What the folder knows of recently folded calls: their signals, how many raw events those came from,
/// the parties hash and the event ids stored. It spares reading and parsing a call's raw events again
/// for each new one; it is only a shortcut, checked against the store before use, and bounded.
/// </summary>
internal sealed class FoldStageCache
{
    private const int Capacity = 20_000;
    private readonly Dictionary<(string, string), FoldedCall> calls = [];

    public FoldedCall? Get(string account, string callKey) => calls.GetValueOrDefault((account, callKey));

    public void Put(string account, string callKey, FoldedCall call)
    {
        if (calls.Count >= Capacity && !calls.ContainsKey((account, callKey)))
        {
            calls.Clear();
        }

        calls[(account, callKey)] = call;
    }

    public void Forget(string account, string callKey) => calls.Remove((account, callKey));

    public void Clear() => calls.Clear();
}

internal sealed class FoldedCall
{
    private readonly List<CallSignal> signals = [];
    private readonly HashSet<string> eventIds = new(StringComparer.Ordinal);
    private bool eventIdsKnown;

    public IReadOnlyList<CallSignal> Signals => signals;

    public long Count { get; private set; }

    public long LastSeq { get; private set; }

    public DateTimeOffset LastReceivedAt { get; private set; }

    /// <summary>The call's search index entries as stored.</summary>
    public IReadOnlySet<(string Value, string Role)>? Parties { get; private set; }

    /// <summary>The ids already in the log, or null before this call was first saved through the cache.</summary>
    public IReadOnlySet<string>? EventIds => eventIdsKnown ? eventIds : null;

    /// <summary>A call the store holds nothing of yet.</summary>
    public static FoldedCall New()
    {
        var call = new FoldedCall { Parties = new HashSet<(string, string)>() };
        call.eventIdsKnown = true;
        return call;
    }

    public void Add(IEnumerable<CallSignal> more, long count, long lastSeq, DateTimeOffset receivedAt)
    {
        signals.AddRange(more);
        Count += count;
        LastSeq = Math.Max(LastSeq, lastSeq);
        LastReceivedAt = receivedAt > LastReceivedAt ? receivedAt : LastReceivedAt;
    }

    public void Saved(SavedCall saved)
    {
        Parties = saved.Parties;
        eventIds.UnionWith(saved.EventIds);
        eventIdsKnown = true;
    }
}
