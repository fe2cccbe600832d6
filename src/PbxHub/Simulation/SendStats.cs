using System.Collections.Concurrent;

namespace PbxHub.Simulation;

/// <summary>What the sending did: requests, repeats and the failures by HTTP status (or transport error).</summary>
internal sealed class SendStats
{
    private long sent;
    private long duplicates;

    public long Sent => Interlocked.Read(ref sent);

    public long Duplicates => Interlocked.Read(ref duplicates);

    public ConcurrentDictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);

    public long FailureCount => Failures.Values.Sum();

    public TimeSpan Elapsed { get; set; }

    /// <summary>The replies each call's requests got, by the call's position in the plan and <see cref="HookRequest.RepliesAs"/>.</summary>
    public ConcurrentDictionary<int, IReadOnlyDictionary<string, string>> Replies { get; } = new();

    public void Count(bool duplicate)
    {
        Interlocked.Increment(ref sent);
        if (duplicate)
        {
            Interlocked.Increment(ref duplicates);
        }
    }

    public void Fail(string reason) => Failures.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
