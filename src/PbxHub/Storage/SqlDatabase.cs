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
    /// Due deliveries (<c>@now</c>, <c>@limit</c>, <c>@perSubscription</c>, <c>@node</c>, <c>@claimUntil</c>) as rows of id,
    /// subscription_id, event_seq, event_id, call_id, attempts, step: each the first pending one of its call, at most
    /// <c>@perSubscription</c> of one subscription (a backlog of one cannot starve the others), claimed for this node.
    /// </summary>
    public abstract string ClaimDueDeliveries { get; }

    /// <summary>The subscription <c>s</c> wants event <c>e</c>.</summary>
    public string SubscriptionWants =>
        $"""
        (s.event_types = '[]' OR {JsonArrayHas("s.event_types", "e.type")})
        AND (s.accounts = '[]' OR {JsonArrayHas("s.accounts", "e.account")})
        """;

    /// <summary>The pending first attempts of a set of events <c>e</c> for the subscriptions <c>s</c> that want them.</summary>
    public string InsertDeliveriesFor(string events, string subscriptions) =>
        $"""
        INSERT INTO deliveries (subscription_id, event_seq, event_id, call_id, state, attempts, step, next_attempt_at, created_at)
        SELECT s.id, e.seq, e.id, e.call_id, 'pending', 0, 0, @now, @now
        FROM call_events e JOIN subscriptions s ON {subscriptions} AND {SubscriptionWants}
        WHERE {events}
        ON CONFLICT (subscription_id, event_id) DO NOTHING
        """;
}
