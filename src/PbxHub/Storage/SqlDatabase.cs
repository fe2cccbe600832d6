using System.Data.Common;

namespace PbxHub.Storage;

/// <summary>
/// What the stores that are plain SQL need of an engine: connections for reading, a transaction for
/// writing, and the few fragments of SQL in which SQLite and PostgreSQL differ. Those stores are then
/// written once for both engines.
/// </summary>
internal interface ISqlDatabase
{
    SqlDialect Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>Runs <paramref name="work"/> in one transaction, queued behind the other writers where the engine has one writer.</summary>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// A write transaction for the hub's write path. <paramref name="recomputable"/>: it writes only what can be
    /// recomputed from data already durable (call records from raw events), so the engine may skip the flush at
    /// commit (SQLite synchronous=NORMAL, PostgreSQL synchronous_commit=off); a later durable commit flushes it anyway.
    /// </summary>
    Task<WriteLease> BeginWriteAsync(bool recomputable, CancellationToken ct);

    Task MigrateAsync(CancellationToken ct);

    /// <summary>Reachable and migrated to this version's schema.</summary>
    Task<bool> IsMigratedAsync(CancellationToken ct);

    /// <summary>Makes this node the one that runs <paramref name="job"/> until the result is disposed; null when another node runs it now.</summary>
    Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct);

    /// <summary>Waits until no other node (nor caller) holds <paramref name="job"/>'s lock, then holds it until the result is disposed.</summary>
    Task<IAsyncDisposable> LockAsync(string job, CancellationToken ct);
}

/// <summary>Tells the nodes of a cluster apart (delivery claims name their node).</summary>
internal sealed class NodeIdentity
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
}

/// <summary>The SQL that differs between the engines.</summary>
internal abstract class SqlDialect
{
    /// <summary>Only one node writes (SQLite): deliveries need no claims between nodes.</summary>
    public abstract bool SingleWriterNode { get; }

    /// <summary>A condition: <paramref name="column"/> is one of the list parameter <paramref name="parameter"/> (bind an array).</summary>
    public abstract string InList(string column, string parameter);

    /// <summary>A condition: the JSON array of strings in <paramref name="column"/> holds <paramref name="value"/>.</summary>
    public abstract string JsonArrayHas(string column, string value);

    /// <summary>
    /// What refreshes the planner's statistics of a table after a bulk write in the current transaction (PostgreSQL:
    /// its plans would otherwise assume the table's old size until autovacuum comes by); null where none is needed.
    /// </summary>
    public abstract string? AnalyzeAfterBulkWrite(string table);

    /// <summary>The engine failed the transaction as one of two that waited for each other, for it to be run again.</summary>
    public virtual bool IsDeadlock(Exception ex) => false;

    /// <summary>The larger of two values.</summary>
    public abstract string Greatest(string a, string b);

    /// <summary>
    /// Due deliveries as rows of id, subscription_id, event_seq, event_id, call_id, attempts, step, next_attempt_at: each
    /// the first pending one of its call, at most <c>@perSubscription</c> of one subscription (a backlog of one cannot
    /// starve the others). Where several nodes write, of every enabled subscription, at most <c>@limit</c>, claimed for
    /// <c>@node</c> until <c>@claimUntil</c>; on one node, of the subscription <c>@sub</c> (SQLite cannot join a
    /// subquery with its own LIMIT per row, so the store asks each subscription in turn). Either way a round reads a
    /// few rows per subscription from <c>deliveries_subscription_due</c>, however long the backlog: a later event of
    /// a call is never due before the one holding it back (see <see cref="Delivery.Outbox.ForEvents"/>), so few due rows
    /// are passed over.
    /// </summary>
    public abstract string ClaimDueDeliveries { get; }

    /// <summary>
    /// Makes the transaction wait for <paramref name="count"/> calls (<c>@p0</c>…, each account and call key, in the order
    /// given) and hold them until commit: shared by the transactions that store raw events of a call, exclusive for the
    /// one that folds it, so a fold never runs while a raw event of its call is stored but not committed. Null where
    /// one writer at a time is the lock (SQLite).
    /// </summary>
    public abstract string? LockCalls(int count, bool shared);

    /// <summary>
    /// Held by the transaction that appends to the event log, from its first position to its commit: positions are then
    /// committed in order on every node, so a reader that has seen position n never sees a smaller one appear later.
    /// Also taken by a commit of attempts that makes the rest of a call wait for a retry, so no delivery is appended
    /// beside it due sooner. Null where one writer at a time is the lock (SQLite).
    /// </summary>
    public abstract string? LockEventLog { get; }
}
