using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>
/// Which events become deliveries: one pending first attempt per enabled subscription that wants the event, written in
/// the transaction that appends the event to the log (docs/webhooks.md, "Order and retries"), so no event is stored
/// without its deliveries and none is delivered that was not stored.
/// </summary>
internal static class Outbox
{
    /// <summary>The subscription <c>s</c> wants event <c>e</c>.</summary>
    public static string SubscriptionWants(SqlDialect dialect) =>
        $"""
        (s.event_types = '[]' OR {dialect.JsonArrayHas("s.event_types", "e.type")})
        AND (s.accounts = '[]' OR {dialect.JsonArrayHas("s.accounts", "e.account")})
        """;

    /// <summary>
    /// The pending first attempts of a set of events <c>e</c> for the subscriptions <c>s</c> that want them. One queued
    /// behind an earlier event of its call waiting for a retry is due no sooner than that retry: it could not be sent
    /// before it anyway, and the claim then never has to pass over it. That lookup is one per row: for a few events
    /// (a fold's); a bulk insert leaves it out (<paramref name="waitBehindRetries"/>) and sorts out the waits after.
    /// <c>+ 0</c> keeps SQLite from answering MAX by walking the subscription's whole due index backwards (its min/max
    /// shortcut) instead of looking up the call's few rows.
    /// </summary>
    public static string ForEvents(SqlDialect dialect, string events, string subscriptions, bool waitBehindRetries = true, string now = "@now") =>
        $"""
        INSERT INTO deliveries (subscription_id, event_seq, event_id, call_id, state, attempts, step, next_attempt_at, created_at)
        SELECT s.id, e.seq, e.id, e.call_id, 'pending', 0, 0,
            {(waitBehindRetries ? dialect.Greatest(now, $"COALESCE((SELECT MAX(p.next_attempt_at + 0) FROM deliveries p WHERE p.subscription_id = s.id AND p.call_id = e.call_id AND p.state = 'pending'), {now})") : now)},
            {now}
        FROM call_events e JOIN subscriptions s ON {subscriptions} AND {SubscriptionWants(dialect)}
        WHERE {events}
        ON CONFLICT (subscription_id, event_id) DO NOTHING
        """;
}
