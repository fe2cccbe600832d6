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

    /// <summary>The larger of two values.</summary>
    public abstract string Greatest(string a, string b);

    /// <summary>
    /// Due deliveries as rows of id, subscription_id, event_seq, event_id, call_id, attempts, step, next_attempt_at: each
    /// the first pending one of its call, at most <c>@perSubscription</c> of one subscription (a backlog of one cannot
    /// starve the others). Where several nodes write, of every enabled subscription, at most <c>@limit</c>, claimed for
    /// <c>@node</c> until <c>@claimUntil</c>; on one node, of the subscription <c>@sub</c> (SQLite cannot join a
    /// subquery with its own LIMIT per row, so the store asks each subscription in turn). Either way a round reads a
    /// few rows per subscription from <c>deliveries_subscription_due</c>, however long the backlog: a later event of
    /// a call is never due before the one holding it back (see <see cref="InsertDeliveriesFor"/>), so few due rows
    /// are passed over.
    /// </summary>
    public abstract string ClaimDueDeliveries { get; }

    /// <summary>The subscription <c>s</c> wants event <c>e</c>.</summary>
    public string SubscriptionWants =>
        $"""
        (s.event_types = '[]' OR {JsonArrayHas("s.event_types", "e.type")})
        AND (s.accounts = '[]' OR {JsonArrayHas("s.accounts", "e.account")})
        """;

    /// <summary>
    /// The pending first attempts of a set of events <c>e</c> for the subscriptions <c>s</c> that want them. One queued
    /// behind an earlier event of its call waiting for a retry is due no sooner than that retry: it could not be sent
    /// before it anyway, and the claim then never has to pass over it. That lookup is one per row: for a few events
    /// (a fold's); a bulk insert leaves it out (<paramref name="waitBehindRetries"/>) and sorts out the waits after.
    /// <c>+ 0</c> keeps SQLite from answering MAX by walking the subscription's whole due index backwards (its min/max
    /// shortcut) instead of looking up the call's few rows.
    /// </summary>
    public string InsertDeliveriesFor(string events, string subscriptions, bool waitBehindRetries = true) =>
        $"""
        INSERT INTO deliveries (subscription_id, event_seq, event_id, call_id, state, attempts, step, next_attempt_at, created_at)
        SELECT s.id, e.seq, e.id, e.call_id, 'pending', 0, 0,
            {(waitBehindRetries ? Greatest("@now", "COALESCE((SELECT MAX(p.next_attempt_at + 0) FROM deliveries p WHERE p.subscription_id = s.id AND p.call_id = e.call_id AND p.state = 'pending'), @now)") : "@now")},
            @now
        FROM call_events e JOIN subscriptions s ON {subscriptions} AND {SubscriptionWants}
        WHERE {events}
        ON CONFLICT (subscription_id, event_id) DO NOTHING
        """;
}
