using System.Text.Json;
using Dapper;
using PbxHub.Storage;

namespace PbxHub.Reconciliation;

/// <summary>The reconciliation runs, newest first; the schedule reads where each account's last good run ended.</summary>
internal sealed class ReconciliationStore(ISqlDatabase database)
{
    /// <summary>The same SQL on both engines (SQLite migration 15, PostgreSQL 10).</summary>
    public const string Schema =
        """
        -- Reconciliation with the providers' call histories (docs/reconciliation.md): one row per run.
        CREATE TABLE reconciliation_runs (
            id TEXT PRIMARY KEY, account TEXT NOT NULL, provider TEXT NOT NULL, since BIGINT NOT NULL, until BIGINT NOT NULL,
            started_at BIGINT NOT NULL, finished_at BIGINT NOT NULL, trigger TEXT NOT NULL, status TEXT NOT NULL, error TEXT,
            seen INTEGER NOT NULL, created INTEGER NOT NULL, completed INTEGER NOT NULL, differing INTEGER NOT NULL,
            findings TEXT NOT NULL, pages TEXT NOT NULL);
        CREATE INDEX reconciliation_runs_account ON reconciliation_runs (account, started_at);
        CREATE INDEX reconciliation_runs_started ON reconciliation_runs (started_at);
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private const string Columns =
        """
        id AS Id, account AS Account, provider AS Provider, since AS Since, until AS Until, started_at AS StartedAt,
        finished_at AS FinishedAt, trigger AS Trigger, status AS Status, error AS Error, seen AS Seen, created AS Created,
        completed AS Completed, differing AS Differing, findings AS Findings, pages AS Pages
        """;

    public Task AddAsync(ReconciliationRun run, CancellationToken ct) => database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            """
            INSERT INTO reconciliation_runs (id, account, provider, since, until, started_at, finished_at, trigger, status, error,
                seen, created, completed, differing, findings, pages)
            VALUES (@Id, @Account, @Provider, @Since, @Until, @StartedAt, @FinishedAt, @Trigger, @Status, @Error,
                @Seen, @Created, @Completed, @Differing, @Findings, @Pages)
            """,
            Row.Of(run), tx),
        ct);

    public async Task<IReadOnlyList<ReconciliationRun>> ListAsync(string? account, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(
            $"SELECT {Columns} FROM reconciliation_runs WHERE (@account IS NULL OR account = @account) ORDER BY started_at DESC, id DESC LIMIT @limit",
            new { account, limit });
        return rows.Select(r => r.ToRun()).ToList();
    }

    /// <summary>Where the account's last successful scheduled or manual run ended; null when none succeeded yet.</summary>
    public async Task<DateTimeOffset?> LastSucceededUntilAsync(string account, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var until = await c.QuerySingleOrDefaultAsync<long?>(
            "SELECT MAX(until) FROM reconciliation_runs WHERE account = @account AND status = @status AND trigger = @trigger",
            new { account, status = RunStatuses.Succeeded, trigger = RunTriggers.Schedule });
        return until is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>When the account's last scheduled run started (whatever its result); null when none ran.</summary>
    public async Task<DateTimeOffset?> LastScheduledAsync(string account, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var started = await c.QuerySingleOrDefaultAsync<long?>(
            "SELECT MAX(started_at) FROM reconciliation_runs WHERE account = @account AND trigger = @trigger",
            new { account, trigger = RunTriggers.Schedule });
        return started is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Account { get; init; } = "";
        public string Provider { get; init; } = "";
        public long Since { get; init; }
        public long Until { get; init; }
        public long StartedAt { get; init; }
        public long FinishedAt { get; init; }
        public string Trigger { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Error { get; init; }
        public long Seen { get; init; }
        public long Created { get; init; }
        public long Completed { get; init; }
        public long Differing { get; init; }
        public string Findings { get; init; } = "[]";
        public string Pages { get; init; } = "[]";

        public static Row Of(ReconciliationRun r) => new()
        {
            Id = r.Id, Account = r.Account, Provider = r.Provider, Since = Ms(r.Since), Until = Ms(r.Until),
            StartedAt = Ms(r.StartedAt), FinishedAt = Ms(r.FinishedAt), Trigger = r.Trigger, Status = r.Status, Error = r.Error,
            Seen = r.Seen, Created = r.Created, Completed = r.Completed, Differing = r.Differing,
            Findings = JsonSerializer.Serialize(r.Findings, Json), Pages = JsonSerializer.Serialize(r.Pages, Json),
        };

        public ReconciliationRun ToRun() => new(
            Id, Account, Provider, At(Since), At(Until), At(StartedAt), At(FinishedAt), Trigger, Status, Error,
            (int)Seen, (int)Created, (int)Completed, (int)Differing,
            JsonSerializer.Deserialize<List<ReconciliationFinding>>(Findings, Json) ?? [],
            JsonSerializer.Deserialize<List<string>>(Pages, Json) ?? []);

        private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

        private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
