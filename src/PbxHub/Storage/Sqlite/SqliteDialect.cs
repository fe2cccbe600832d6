namespace PbxHub.Storage.Sqlite;

internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override bool SingleWriterNode => true;

    /// <summary>Dapper spreads the array into the list.</summary>
    public override string InList(string column, string parameter) => $"{column} IN {parameter}";

    public override string JsonArrayHas(string column, string value) => $"EXISTS (SELECT 1 FROM json_each({column}) j WHERE j.value = {value})";

    public override string Greatest(string a, string b) => $"MAX({a}, {b})";

    /// <summary>The hub never runs ANALYZE on SQLite: its plans come from the indexes alone, whatever the data.</summary>
    public override string? AnalyzeAfterBulkWrite(string table) => null;

    /// <summary>One writer at a time: a write transaction holds every call and the whole event log.</summary>
    public override string? LockCalls(int count, bool shared) => null;

    public override string? LockEventLog => null;

    public override string ClaimDueDeliveries =>
        """
        SELECT d.id, d.subscription_id, d.event_seq, d.event_id, d.call_id, d.attempts, d.step, d.next_attempt_at
        FROM deliveries d
        WHERE d.subscription_id = @sub AND d.state = 'pending' AND d.next_attempt_at <= @now
          AND NOT EXISTS (SELECT 1 FROM deliveries p
              WHERE p.subscription_id = d.subscription_id AND p.call_id = d.call_id AND p.state = 'pending' AND p.event_seq < d.event_seq)
        ORDER BY d.next_attempt_at, d.id LIMIT @perSubscription
        """;
}
