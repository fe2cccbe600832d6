using System.Data.Common;
using PbxHub.Logging;

namespace PbxHub.Storage;

/// <summary>
/// Whether the database takes writes now. A failure opens a fault episode, logged once with its exception; those
/// that follow are only counted, and the next write that succeeds ends it with the count (docs/deployment.md,
/// "When the database fails"). While an episode is open the node is not ready (<c>/readyz</c> answers 503).
/// </summary>
internal sealed partial class StorageFaults(TimeProvider time, ILogger<StorageFaults> logger)
{
    private readonly LogEpisode episode = new();
    private long startedAt;

    /// <summary>A write failed and none has succeeded since.</summary>
    public bool IsFaulted => episode.Count > 0;

    /// <summary>An exception of the database itself (unreachable, refused, full, timed out), not of the hub's code.</summary>
    public static bool IsStorageFault(Exception ex) => ex is DbException or StorageUnavailableException || ex.InnerException is DbException;

    /// <summary>
    /// Counts <paramref name="ex"/> into the episode when it is a storage fault, logging it only when it opens one.
    /// False when it is something else, for the caller to log as it does.
    /// </summary>
    public bool Absorb(Exception ex, string where)
    {
        if (!IsStorageFault(ex))
        {
            return false;
        }

        if (episode.Occurred())
        {
            Interlocked.Exchange(ref startedAt, time.GetTimestamp());
            LogFaultStarted(logger, ex, where);
        }

        return true;
    }

    /// <summary>A write succeeded: ends the episode under way, if any.</summary>
    public void Succeeded()
    {
        if (episode.Count == 0)
        {
            return;
        }

        var failures = episode.End();
        if (failures > 0)
        {
            LogFaultEnded(logger, failures, time.GetElapsedTime(Interlocked.Read(ref startedAt)).TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage fault ({Where}): the database refused or did not answer; hooks get 503 with Retry-After, API reads 503, /readyz 503, until a write succeeds. Further failures are counted, not logged")]
    private static partial void LogFaultStarted(ILogger logger, Exception ex, string where);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage fault over: writes succeed again after {Failures} failed operations in {Seconds:F1} s")]
    private static partial void LogFaultEnded(ILogger logger, long failures, double seconds);
}

/// <summary>What the hub needed from the database could not be had; answered 503 rather than a guess.</summary>
internal sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
