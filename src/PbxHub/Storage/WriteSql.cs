using System.Collections.Concurrent;

namespace PbxHub.Storage;

/// <summary>
/// The write path's SQL, the same text on both engines but for the dialect's few fragments; parameters are positional
/// (<c>@p0</c>, …) so the statements are prepared once and bound by <see cref="WriteLease.Statement"/>.
/// </summary>
internal sealed class WriteSql
{
    private static readonly ConcurrentDictionary<SqlDialect, WriteSql> ByDialect = new();
    private readonly ConcurrentDictionary<(string Head, int Rows, int Columns, string Tail), string> rows = new();
    private readonly ConcurrentDictionary<(string Head, int Count, string Separator), string> terms = new();
    private readonly ConcurrentDictionary<int, string> deliveries = new();

    private WriteSql(SqlDialect dialect)
    {
        Dialect = dialect;
        UpsertFoldPending = $" ON CONFLICT (account, call_key) DO UPDATE SET max_seq = {dialect.Greatest("fold_pending.max_seq", "excluded.max_seq")}";
        UpsertAnswered = $" ON CONFLICT (account, value) DO UPDATE SET last_started_at = {dialect.Greatest("answered_numbers.last_started_at", "excluded.last_started_at")}";
    }

    public static WriteSql For(SqlDialect dialect) => ByDialect.GetOrAdd(dialect, d => new WriteSql(d));

    public SqlDialect Dialect { get; }

    public const int RawColumns = 12;

    /// <summary>
    /// The rows of a batch go in statements of these sizes (largest first), so a few prepared statements serve every
    /// batch size: 37 rows are 16 + 16 + 4 + 1.
    /// </summary>
    private static readonly int[] Chunks = [64, 16, 4, 1];

    public static int ChunkOf(int left) => Chunks.First(c => c <= left);

    /// <summary>
    /// Raw events (account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers,
    /// reason) × <paramref name="count"/>; answers (account, dedupe_key, seq) of those stored, not of duplicates.
    /// </summary>
    public string InsertRaw(int count) => Rows(
        "INSERT INTO raw_events (account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers, reason) VALUES ",
        count, RawColumns, " ON CONFLICT (account, dedupe_key) DO NOTHING RETURNING account, dedupe_key, seq");

    public const string FindRaw = "SELECT seq FROM raw_events WHERE account = @p0 AND dedupe_key = @p1";

    public const string CallRaw = $"{RawRowData.Select} WHERE account = @p0 AND call_key = @p1 ORDER BY seq";

    public const string CallRawStats = "SELECT count(*), max(seq) FROM raw_events WHERE account = @p0 AND call_key = @p1";

    public const string MarkParsed = "UPDATE raw_events SET kind = @p0, call_key = @p1, reason = NULL WHERE seq = @p2";

    /// <summary>
    /// The calls (account, call_key, folded through) × <paramref name="count"/> are folded through that position: a raw
    /// event stored since (on any node) keeps its call marked.
    /// </summary>
    public string FoldedThrough(int count) => Terms(
        "DELETE FROM fold_pending WHERE ", count, i => $"(account = {P(3 * i)} AND call_key = {P(3 * i + 1)} AND max_seq <= {P(3 * i + 2)})", " OR ");

    public const string PartiesHash = "SELECT parties_hash FROM calls WHERE id = @p0";

    /// <summary>Records (id, account, provider_call_id, started_at, direction, state, outcome, last_received_at, record, parties_hash, caller) × <paramref name="count"/>.</summary>
    public string UpsertCalls(int count) => Rows(
        "INSERT INTO calls (id, account, provider_call_id, started_at, direction, state, outcome, last_received_at, record, parties_hash, caller) VALUES ",
        count, 11,
        """
         ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, direction = excluded.direction, state = excluded.state,
            outcome = excluded.outcome, last_received_at = excluded.last_received_at, record = excluded.record,
            parties_hash = excluded.parties_hash, caller = excluded.caller
        """);

    /// <summary>The whole search index of <paramref name="count"/> calls (call_id × count), before it is written again.</summary>
    public string DeleteParties(int count) => Terms("DELETE FROM call_parties WHERE call_id IN (", count, P, ", ") + ")";

    public const string EventIds = "SELECT id FROM call_events WHERE call_id = @p0";

    /// <summary>Snapshots of records (call_id, body) × <paramref name="count"/>; answers (id, call_id).</summary>
    public string InsertSnapshots(int count) => Rows("INSERT INTO call_snapshots (call_id, body) VALUES ", count, 2, " RETURNING id, call_id");

    /// <summary>The outbox rule (<see cref="Delivery.Outbox"/>) for the events of <paramref name="count"/> snapshots (<c>@p1</c>…), due at <c>@p0</c>.</summary>
    public string InsertDeliveries(int count) => deliveries.GetOrAdd(count, n => Delivery.Outbox.ForEvents(
        Dialect, Terms("e.snapshot_id IN (", n, i => P(i + 1), ", ") + ")", "s.enabled = 1", now: "@p0"));

    /// <summary>Marks calls (account, call_key, max_seq) × <paramref name="count"/> as left to fold.</summary>
    public string FoldPending(int count) => Rows("INSERT INTO fold_pending (account, call_key, max_seq) VALUES ", count, 3, UpsertFoldPending);

    /// <summary>A call's new index entries (value, call_id, role) × <paramref name="count"/>.</summary>
    public string InsertParties(int count) => Rows("INSERT INTO call_parties (value, call_id, role) VALUES ", count, 3, " ON CONFLICT DO NOTHING");

    /// <summary>When the numbers of an answered call (account, value, started_at) × <paramref name="count"/> last took part in one.</summary>
    public string AnsweredNumbers(int count) => Rows("INSERT INTO answered_numbers (account, value, last_started_at) VALUES ", count, 3, UpsertAnswered);

    /// <summary>A fold's new events (id, call_id, account, type, occurred_at, snapshot_id, leg) × <paramref name="count"/>.</summary>
    public string InsertEvents(int count) => Rows(
        "INSERT INTO call_events (id, call_id, account, type, occurred_at, snapshot_id, leg) VALUES ", count, 7, " ON CONFLICT (id) DO NOTHING");

    private string UpsertFoldPending { get; }

    private string UpsertAnswered { get; }

    private static string P(int index) => StatementCache.Parameter(index);

    private string Terms(string head, int count, Func<int, string> term, string separator) =>
        terms.GetOrAdd((head, count, separator), k => k.Head + string.Join(k.Separator, Enumerable.Range(0, k.Count).Select(term)));

    private string Rows(string head, int count, int columns, string tail) =>
        rows.GetOrAdd((head, count, columns, tail), k => k.Head + StatementCache.Values(k.Rows, k.Columns) + k.Tail);
}
