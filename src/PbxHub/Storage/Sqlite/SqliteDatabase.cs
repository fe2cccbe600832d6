using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace PbxHub.Storage.Sqlite;

/// <summary>
/// The embedded database: pooled connections for reading and one long-lived writer connection, handed to one write at
/// a time (SQLite has one writer): writers queue here instead of spinning on SQLite's busy lock. Its statements stay
/// prepared on it for the life of the process.
/// </summary>
internal sealed class SqliteDatabase(IOptions<StorageOptions> options) : ISqlDatabase, IAsyncDisposable
{
    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.Value.SqlitePath,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private readonly bool flushesEveryCommit = options.Value.Synchronous == "full";
    private readonly SemaphoreSlim writerLock = new(1, 1);
    private readonly StatementCache statements = new();
    private SqliteConnection? writer;
    private bool flushing = true;

    public SqlDialect Dialect => SqliteDialect.Instance;

    async Task<DbConnection> ISqlDatabase.OpenAsync(CancellationToken ct) => await OpenAsync(ct);

    /// <summary>A pooled connection for reading (WAL lets readers run beside the writer).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.Value.SqlitePath)!);
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// A writer's own connection, with the flush policy that makes a commit durable and a 64 MiB page cache: with
    /// SQLite's default 2 MiB, ingest slowed by half once the indexes outgrew it.
    /// </summary>
    public async Task<SqliteConnection> OpenWriterAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        await connection.ExecuteAsync($"PRAGMA journal_mode=WAL; PRAGMA synchronous={options.Value.Synchronous.ToUpperInvariant()}; PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536;");
        return connection;
    }

    public async Task<WriteLease> BeginWriteAsync(bool recomputable, CancellationToken ct)
    {
        await writerLock.WaitAsync(ct);
        try
        {
            writer ??= await OpenWriterAsync(ct);
            if (flushesEveryCommit && flushing == recomputable)
            {
                flushing = !recomputable;
                using var pragma = writer.CreateCommand();
                pragma.CommandText = flushing ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
                pragma.ExecuteNonQuery();
            }

            // IMMEDIATE: another process (a CLI verb) writing at the same time makes this wait, not fail at commit.
            var transaction = writer.BeginTransaction(deferred: false);
            return new WriteLease(writer, transaction, statements, () =>
            {
                writerLock.Release();
                return ValueTask.CompletedTask;
            });
        }
        catch
        {
            writerLock.Release();
            throw;
        }
    }

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var lease = await BeginWriteAsync(recomputable: false, ct);
        var result = await work(lease.Connection, lease.Transaction);
        await lease.Transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>One node: every job is this node's.</summary>
    public Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct) => Task.FromResult<IAsyncDisposable?>(NoLock.Instance);

    /// <summary>One node per database file: its callers keep out of each other's way themselves.</summary>
    public Task<IAsyncDisposable> LockAsync(string job, CancellationToken ct) => Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public async Task<bool> IsMigratedAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations") >= SqliteMigrations.All.Count;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private int disposed;

    public async ValueTask DisposeAsync()
    {
        // The container disposes it once as itself and once as ISqlDatabase.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        // A write still running (a component that did not wait for its work on stopping) finishes before its connection
        // goes; one that never gives the writer back does not hold the shutdown.
        await writerLock.WaitAsync(TimeSpan.FromSeconds(10));
        if (writer is not null)
        {
            await writer.DisposeAsync();
        }

        writerLock.Dispose();
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        foreach (var (version, sql) in SqliteMigrations.All)
        {
            // IMMEDIATE, and checked inside: two processes migrating at once apply each step once.
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
            var applied = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM schema_migrations WHERE version = @version", new { version }, tx);
            if (applied == 0)
            {
                await connection.ExecuteAsync(sql, transaction: tx);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                    new { version }, tx);
            }

            await tx.CommitAsync(ct);
        }
    }
}

internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<(long Version, string Sql)> All =
    [
        (1, """
            CREATE TABLE accounts (
                id TEXT PRIMARY KEY, provider TEXT NOT NULL, secret TEXT NOT NULL, time_zone TEXT NOT NULL,
                country TEXT NOT NULL, settings TEXT NOT NULL, created_at INTEGER NOT NULL);
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
            CREATE TABLE raw_events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, provider TEXT NOT NULL, kind TEXT NOT NULL,
                call_key TEXT, dedupe_key TEXT NOT NULL, received_at INTEGER NOT NULL, method TEXT NOT NULL,
                content_type TEXT, query TEXT NOT NULL, body BLOB NOT NULL, headers TEXT NOT NULL, reason TEXT,
                UNIQUE (account, dedupe_key));
            CREATE INDEX raw_events_call ON raw_events (account, call_key);
            CREATE TABLE calls (
                id TEXT PRIMARY KEY, account TEXT NOT NULL, provider_call_id TEXT NOT NULL, started_at INTEGER NOT NULL,
                direction TEXT NOT NULL, state TEXT NOT NULL, outcome TEXT, last_received_at INTEGER NOT NULL,
                record TEXT NOT NULL, parties_hash TEXT NOT NULL, UNIQUE (account, provider_call_id));
            CREATE INDEX calls_started ON calls (started_at DESC, id DESC);
            CREATE INDEX calls_open ON calls (last_received_at) WHERE state <> 'ended';
            CREATE TABLE call_parties (
                value TEXT NOT NULL, call_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (value, call_id, role)) WITHOUT ROWID;
            CREATE INDEX call_parties_call ON call_parties (call_id);
            CREATE TABLE call_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, call_id TEXT NOT NULL, body TEXT NOT NULL);
            CREATE TABLE call_events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, call_id TEXT NOT NULL, account TEXT NOT NULL,
                type TEXT NOT NULL, occurred_at INTEGER NOT NULL, snapshot_id INTEGER NOT NULL REFERENCES call_snapshots (id), leg TEXT);
            CREATE INDEX call_events_call ON call_events (call_id, seq);
            """),
        (2, """
            CREATE TABLE fold_state (id INTEGER PRIMARY KEY CHECK (id = 1), folded_through INTEGER NOT NULL);
            INSERT INTO fold_state (id, folded_through) SELECT 1, COALESCE(MAX(seq), 0) FROM raw_events;
            """),
        (3, """
            ALTER TABLE calls ADD COLUMN caller TEXT;
            UPDATE calls SET caller = COALESCE(json_extract(record, '$.from.number'), json_extract(record, '$.from.raw'));
            CREATE INDEX calls_missed ON calls (account, started_at) WHERE outcome = 'missed';
            """),
        (4, """
            CREATE TABLE subscriptions (
                id TEXT PRIMARY KEY, url TEXT NOT NULL, event_types TEXT NOT NULL, accounts TEXT NOT NULL,
                enabled INTEGER NOT NULL, description TEXT, secret TEXT NOT NULL, previous_secret TEXT,
                previous_secret_until INTEGER, disabled_reason TEXT, created_at INTEGER NOT NULL,
                last_success_at INTEGER, failing_since INTEGER);
            CREATE TABLE deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT, subscription_id TEXT NOT NULL, event_seq INTEGER NOT NULL,
                event_id TEXT NOT NULL, call_id TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
                step INTEGER NOT NULL, next_attempt_at INTEGER, created_at INTEGER NOT NULL, completed_at INTEGER,
                claimed_by TEXT, claimed_until INTEGER, UNIQUE (subscription_id, event_id));
            CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
            CREATE INDEX deliveries_call ON deliveries (subscription_id, call_id, event_seq) WHERE state = 'pending';
            CREATE INDEX deliveries_log ON deliveries (subscription_id, id);
            CREATE TABLE delivery_attempts (
                delivery_id INTEGER NOT NULL, attempt INTEGER NOT NULL, at INTEGER NOT NULL, status_code INTEGER,
                duration_ms INTEGER NOT NULL, error TEXT, response TEXT, PRIMARY KEY (delivery_id, attempt)) WITHOUT ROWID;
            CREATE INDEX call_events_occurred ON call_events (occurred_at);
            """),
        (5, """
            CREATE TABLE call_requests (
                id TEXT PRIMARY KEY, account TEXT NOT NULL, provider TEXT NOT NULL, kind TEXT NOT NULL, client TEXT,
                client_number TEXT, operators TEXT NOT NULL, requested_at INTEGER NOT NULL, status TEXT NOT NULL,
                exchanges TEXT NOT NULL, problem TEXT);
            CREATE INDEX call_requests_requested ON call_requests (requested_at DESC, id DESC);
            CREATE TABLE outbound_media (
                id TEXT PRIMARY KEY, account TEXT NOT NULL, bytes BLOB NOT NULL, created_at INTEGER NOT NULL);
            """),
        (6, """
            -- Missed unreturned at millions of calls: when each number of an account last took part in an answered call.
            CREATE TABLE answered_numbers (
                account TEXT NOT NULL, value TEXT NOT NULL, last_started_at INTEGER NOT NULL, PRIMARY KEY (account, value)) WITHOUT ROWID;
            """ + CallPartyIndex.FillAnsweredNumbers),
        (7, """
            -- The Data Protection key ring when PbxHub:Security:KeyRing=database (each key encrypted with a certificate).
            -- Secrets already stored in clear are encrypted at start-up, after the migrations: SQL cannot reach the keys.
            CREATE TABLE data_protection_keys (name TEXT PRIMARY KEY, xml TEXT NOT NULL, created_at INTEGER NOT NULL);
            """),
        (8, """
            -- Retention finds old raw events and old finished deliveries without reading the whole table.
            CREATE INDEX raw_events_age ON raw_events (received_at) WHERE kind <> 'compacted';
            CREATE INDEX deliveries_completed ON deliveries (completed_at) WHERE state <> 'pending';
            """),
        (9, SqlDeliveryStore.DueIndex),
        (10, """
            -- Each fold writes the deliveries of the events it stored by their snapshot: without this index that was a
            -- scan of the whole event log per fold, and ingest slowed down as the log grew (PostgreSQL has had it since 1).
            CREATE INDEX call_events_snapshot ON call_events (snapshot_id);
            """),
        (11, Recordings.RecordingQueue.Schema),
        (12, Connectors.ConnectorStore.Schema),
        (13, """
            -- One recovery mechanism on both engines (docs/storage.md, "Crash guarantees"): the calls with raw events not yet
            -- folded, marked in the raw events' transaction and cleared in the fold's, in place of a watermark.
            CREATE TABLE fold_pending (
                account TEXT NOT NULL, call_key TEXT NOT NULL, max_seq INTEGER NOT NULL, PRIMARY KEY (account, call_key)) WITHOUT ROWID;
            INSERT INTO fold_pending (account, call_key, max_seq)
                SELECT account, call_key, MAX(seq) FROM raw_events
                WHERE seq > (SELECT folded_through FROM fold_state WHERE id = 1) AND call_key IS NOT NULL GROUP BY account, call_key;
            DROP TABLE fold_state;
            """),
        (14, Connectors.ConnectorDirectory.Schema),
        (15, Reconciliation.ReconciliationStore.Schema),
    ];
}
