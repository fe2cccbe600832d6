using System.Collections.Concurrent;

namespace PbxHub.Bench.Load;

/// <summary>Failed requests by category.</summary>
internal sealed class ErrorTally
{
    private readonly ConcurrentDictionary<string, long> counts = new();

    public long Total => counts.Values.Sum();

    public void Add(string category) => counts.AddOrUpdate(category, 1, (_, n) => n + 1);

    public override string ToString() =>
        counts.IsEmpty ? "none" : string.Join("; ", counts.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} ×{kv.Value}"));
}
