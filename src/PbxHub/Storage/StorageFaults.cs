using System.Data.Common;
using PbxHub.Logging;

namespace PbxHub.Storage;

/// <summary>
/// Whether the database takes writes now. A failure opens a fault episode, logged once with its exception; those
/// that follow are only counted, and the next hooks stored end it with the count (docs/deployment.md, "When the
/// database fails"). While failures go on the node is not ready (<c>/readyz</c> answers 503).
/// </summary>
internal sealed partial class StorageFaults(TimeProvider time, ILogger<StorageFaults> logger, IEnumerable<IConnectionPool>? pools = null)
{
    /// <summary>
    /// How long after a failure the node says it is not ready without trying a write: as long as a refused provider
    /// waits before sending again. A write that fits may succeed on a full disk while larger ones fail, so only when
    /// failures stop does a probe get to say the node is ready again.
    /// </summary>
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(Security.HookRefusals.RetryAfterSeconds);

    private readonly LogEpisode episode = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> failuresByPlace = new(StringComparer.Ordinal);
    private long startedAt;
    private long lastFailedAt;

    /// <summary>An operation failed and no hook has been stored since.</summary>
    public bool IsFaulted => episode.Count > 0;

    /// <summary>
    /// Storage faults absorbed at <paramref name="where"/> since the start: what a test waits for ("each background
    /// service has failed a few times") before it asserts the log held one line, instead of sleeping and hoping.
    /// </summary>
    public long FailuresAt(string where) => failuresByPlace.GetValueOrDefault(where);

    /// <summary>The last failure is less than <see cref="Hold"/> ago.</summary>
    public bool FailedRecently => IsFaulted && time.GetElapsedTime(Interlocked.Read(ref lastFailedAt)) < Hold;

    /// <summary>
    /// An exception of the database itself (unreachable, refused, full, timed out, shutting down), not one the statement
    /// or its values caused (a constraint, a value the engine cannot take): those say nothing of the node's health.
    /// </summary>
    public static bool IsStorageFault(Exception ex) => ex switch
    {
        StorageUnavailableException => true,
        Npgsql.PostgresException pg => IsServerFault(pg.SqlState),
        Microsoft.Data.Sqlite.SqliteException sqlite => IsSqliteFault(sqlite.SqliteErrorCode),
        // Npgsql's own (no SQL state): the connection failed, broke or timed out.
        DbException => true,
        _ => ex.InnerException is { } inner && IsStorageFault(inner),
    };

    /// <summary>SQLSTATE classes of the server's state: connection (08), resources such as a full disk (53), operator
    /// intervention such as a shutdown or a statement timeout (57), system I/O (58), internal (XX), and a read-only standby (25006).</summary>
    private static bool IsServerFault(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
        || state.StartsWith("57", StringComparison.Ordinal) || state.StartsWith("58", StringComparison.Ordinal)
        || state.StartsWith("XX", StringComparison.Ordinal) || state == "25006";

    /// <summary>SQLite's primary codes of the file and its lock: busy, locked, no memory, read-only, I/O, corrupt, full, cannot open, protocol, not a database.</summary>
    private static bool IsSqliteFault(int code) => (code & 0xff) is 5 or 6 or 7 or 8 or 10 or 11 or 13 or 14 or 15 or 26;

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

        // A server that restarted leaves the pool's idle connections dead, each to fail a request once it is back.
        foreach (var pool in pools ?? [])
        {
            pool.Clear();
        }

        failuresByPlace.AddOrUpdate(where, 1, (_, n) => n + 1);
        var now = time.GetTimestamp();
        Interlocked.Exchange(ref lastFailedAt, now);
        if (episode.Occurred())
        {
            Interlocked.Exchange(ref startedAt, now);
            LogFaultStarted(logger, ex, where);
        }

        return true;
    }

    /// <summary>A timestamp (<see cref="TimeProvider.GetTimestamp"/>) to take before a write, for <see cref="Succeeded"/>.</summary>
    public long Now => time.GetTimestamp();

    /// <summary>
    /// Hooks were stored by a write that began at <paramref name="began"/>: ends the episode under way, if any, unless the
    /// write began before its last failure. A database going down fails some sessions while a write already under way
    /// still commits; that says nothing of its being back.
    /// </summary>
    public void Succeeded(long began)
    {
        if (episode.Count == 0 || began < Interlocked.Read(ref lastFailedAt))
        {
            return;
        }

        var failures = episode.End();
        if (failures > 0)
        {
            LogFaultEnded(logger, failures, time.GetElapsedTime(Interlocked.Read(ref startedAt)).TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage fault ({Where}): the database refused or did not answer; hooks get 503 with Retry-After, API reads 503, /readyz 503, until hooks are stored again. Further failures are counted, not logged")]
    private static partial void LogFaultStarted(ILogger logger, Exception ex, string where);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage fault over: hooks are stored again, after {Failures} failed operations in {Seconds:F1} s")]
    private static partial void LogFaultEnded(ILogger logger, long failures, double seconds);
}

/// <summary>Connections kept open for reuse, to drop when the database failed.</summary>
internal interface IConnectionPool
{
    void Clear();
}

/// <summary>What the hub needed from the database could not be had; answered 503 rather than a guess.</summary>
internal sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
