namespace PbxHub.Logging;

/// <summary>
/// Something that goes wrong many times in a row (an overloaded queue, a database that is down): logged when it
/// starts and when it ends, with how often it happened in between, rather than once per occurrence. A line per
/// refused request would add to the load, and on a full disk it would fill the disk further (docs/deployment.md).
/// </summary>
internal sealed class LogEpisode
{
    private long count;

    /// <summary>Occurrences so far in the episode under way; 0 when none is.</summary>
    public long Count => Interlocked.Read(ref count);

    /// <summary>Counts one occurrence; true for the first of an episode, which is the one to log.</summary>
    public bool Occurred() => Interlocked.Increment(ref count) == 1;

    /// <summary>Ends the episode under way; returns how many occurrences it had (0 when there was none, so nothing to log).</summary>
    public long End() => Interlocked.Exchange(ref count, 0);
}
