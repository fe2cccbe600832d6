using Microsoft.Data.Sqlite;

namespace PbxHub.Storage.Sqlite;

/// <summary>
/// The writer's statements, prepared once on its long-lived connection and reused by every session:
/// on the ingest path, compiling SQL again for each row would cost more than running it.
/// </summary>
internal sealed class SqliteWriterCommands(SqliteConnection connection)
{
    public SqliteCommand InsertRaw { get; } = Create(connection,
        """
        INSERT INTO raw_events (account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers, reason)
        VALUES ($account, $provider, $kind, $call_key, $dedupe_key, $received_at, $method, $content_type, $query, $body, $headers, $reason)
        ON CONFLICT (account, dedupe_key) DO NOTHING RETURNING seq
        """,
        "$account", "$provider", "$kind", "$call_key", "$dedupe_key", "$received_at", "$method", "$content_type", "$query", "$body", "$headers", "$reason");

    public SqliteCommand FindRaw { get; } = Create(connection,
        "SELECT seq FROM raw_events WHERE account = $account AND dedupe_key = $dedupe_key", "$account", "$dedupe_key");

    public SqliteCommand CallRaw { get; } = Create(connection,
        $"{RawRowData.Select} WHERE account = $account AND call_key = $call_key ORDER BY seq", "$account", "$call_key");

    public SqliteCommand CallRawStats { get; } = Create(connection,
        "SELECT count(*), max(seq) FROM raw_events WHERE account = $account AND call_key = $call_key", "$account", "$call_key");

    public SqliteCommand PartiesHash { get; } = Create(connection, "SELECT parties_hash FROM calls WHERE id = $id", "$id");

    public SqliteCommand UpsertCall { get; } = Create(connection,
        """
        INSERT INTO calls (id, account, provider_call_id, started_at, direction, state, outcome, last_received_at, record, parties_hash, caller)
        VALUES ($id, $account, $provider_call_id, $started_at, $direction, $state, $outcome, $last_received_at, $record, $parties_hash, $caller)
        ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, direction = excluded.direction, state = excluded.state,
            outcome = excluded.outcome, last_received_at = excluded.last_received_at, record = excluded.record,
            parties_hash = excluded.parties_hash, caller = excluded.caller
        """,
        "$id", "$account", "$provider_call_id", "$started_at", "$direction", "$state", "$outcome", "$last_received_at", "$record", "$parties_hash", "$caller");

    public SqliteCommand DeleteParties { get; } = Create(connection, "DELETE FROM call_parties WHERE call_id = $id", "$id");

    /// <summary>
    /// The outbox: one pending delivery per matching enabled subscription for each event of a fold, written
    /// in the fold's own transaction, so no event is stored without its deliveries.
    /// </summary>
    public SqliteCommand InsertDeliveries { get; } = Create(connection,
        SqliteDialect.Instance.InsertDeliveriesFor("e.snapshot_id = @snapshot", "s.enabled = 1"), "@snapshot", "@now");

    public SqliteCommand EventIds { get; } = Create(connection, "SELECT id FROM call_events WHERE call_id = $id", "$id");

    public SqliteCommand InsertSnapshot { get; } = Create(connection,
        "INSERT INTO call_snapshots (call_id, body) VALUES ($call_id, $body) RETURNING id", "$call_id", "$body");

    private readonly Dictionary<int, SqliteCommand> insertParties = [];
    private readonly Dictionary<int, SqliteCommand> insertEvents = [];
    private readonly Dictionary<int, SqliteCommand> upsertAnswered = [];
    private SqliteTransaction? current;

    /// <summary>One statement for all of a call's new index entries (value, call_id, role) × <paramref name="rows"/>.</summary>
    public SqliteCommand InsertParties(int rows) => Rows(insertParties, rows, "INSERT OR IGNORE INTO call_parties (value, call_id, role) VALUES ", 3, "");

    /// <summary>When the numbers of an answered call (account, value, started_at) × <paramref name="rows"/> last took part in one.</summary>
    public SqliteCommand UpsertAnswered(int rows) => Rows(upsertAnswered, rows,
        "INSERT INTO answered_numbers (account, value, last_started_at) VALUES ", 3,
        " ON CONFLICT (account, value) DO UPDATE SET last_started_at = MAX(last_started_at, excluded.last_started_at)");

    /// <summary>One statement for a fold's new events (id, call_id, account, type, occurred_at, snapshot_id, leg) × <paramref name="rows"/>.</summary>
    public SqliteCommand InsertEvents(int rows) => Rows(insertEvents, rows,
        "INSERT INTO call_events (id, call_id, account, type, occurred_at, snapshot_id, leg) VALUES ", 7, " ON CONFLICT (id) DO NOTHING");

    public void Enlist(SqliteTransaction transaction)
    {
        current = transaction;
        foreach (var command in ((SqliteCommand[])[InsertRaw, FindRaw, CallRaw, CallRawStats, PartiesHash, UpsertCall, DeleteParties, EventIds, InsertSnapshot, InsertDeliveries])
            .Concat(insertParties.Values).Concat(insertEvents.Values).Concat(upsertAnswered.Values))
        {
            command.Transaction = transaction;
        }
    }

    private SqliteCommand Rows(Dictionary<int, SqliteCommand> cache, int rows, string head, int columns, string tail)
    {
        if (!cache.TryGetValue(rows, out var command))
        {
            var names = Enumerable.Range(0, rows * columns).Select(i => "$p" + i).ToArray();
            var values = Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", names.Skip(r * columns).Take(columns)) + ")");
            command = Create(connection, head + string.Join(", ", values) + tail, names);
            cache[rows] = command;
        }

        command.Transaction = current;
        return command;
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }
}

internal static class SqliteCommandExtensions
{
    /// <summary>Sets the parameters in the order they were declared; null becomes SQL NULL.</summary>
    public static SqliteCommand With(this SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }
}
