using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PbxHub.Storage.Postgres;

/// <summary>The shared PostgreSQL database of every node: pooled connections and the schema.</summary>
internal sealed class PostgresDatabase : ISqlDatabase, IConnectionPool, IAsyncDisposable
{
    /// <summary>Held while migrating, so nodes starting together migrate one after the other.</summary>
    private const long MigrationLock = 0x5062_7848_7562_0001;

    private readonly NpgsqlDataSource dataSource;

    public PostgresDatabase(IOptions<StorageOptions> options)
    {
        dataSource = new NpgsqlDataSourceBuilder(WithPreparedStatements(options.Value.ConnectionString)).Build();
    }

    /// <summary>Statements Npgsql keeps prepared on each connection unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// The hub runs the same few dozen statements all the time; parsed and planned anew each time, that was most of the
    /// server's work, and prepared (Npgsql prepares a statement once it has run a few times) ingest went 1.7–2 × as fast
    /// (bench/README.md). A connection string that sets <c>Max Auto Prepare</c> keeps its value: 0 turns it off, as
    /// PgBouncer's transaction pooling before 1.21 needs.
    /// </summary>
    public static string WithPreparedStatements(string? connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString ?? "" };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        return builder.ConnectionString;
    }

    public SqlDialect Dialect => PostgresDialect.Instance;

    public NpgsqlDataSource DataSource => dataSource;

    public async Task<DbConnection> OpenAsync(CancellationToken ct) => await dataSource.OpenConnectionAsync(ct);

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(ct);
        return result;
    }

    public async Task<WriteLease> BeginWriteAsync(bool recomputable, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(ct);
            if (recomputable)
            {
                // Call records can be rebuilt from the raw events, which were committed durably.
                await connection.ExecuteAsync("SET LOCAL synchronous_commit = off", transaction: transaction);
            }

            return new WriteLease(connection, transaction, new StatementCache(), connection.DisposeAsync);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct) => HoldAsync(job, "SELECT pg_try_advisory_lock(@key)", ct);

    public async Task<IAsyncDisposable> LockAsync(string job, CancellationToken ct) =>
        (await HoldAsync(job, "SELECT pg_advisory_lock(@key) IS NOT NULL", ct))!;

    /// <summary>A session-level advisory lock on a connection of its own, if <paramref name="take"/> answers true.</summary>
    private async Task<IAsyncDisposable?> HoldAsync(string job, string take, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        var key = JobKey(job);
        try
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(take, new { key }, cancellationToken: ct)))
            {
                return new Lead(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private static long JobKey(string job) => BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("pbxhub-job:" + job)));

    /// <summary>A session-level advisory lock held on its own connection for as long as the job runs.</summary>
    private sealed class Lead(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key });
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = MigrationLock });
        try
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
            foreach (var (version, sql) in PostgresMigrations.All)
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                if (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE version = @version", new { version }, tx) == 0)
                {
                    await connection.ExecuteAsync(sql, transaction: tx);
                    await connection.ExecuteAsync("INSERT INTO schema_migrations (version) VALUES (@version)", new { version }, tx);
                }

                await tx.CommitAsync(ct);
            }
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = MigrationLock });
        }
    }

    public async Task<bool> IsMigratedAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations") >= PostgresMigrations.All.Count;
        }
        catch (Exception ex) when (ex is NpgsqlException or PostgresException)
        {
            return false;
        }
    }

    public void Clear() => dataSource.Clear();

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}

internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    public override bool SingleWriterNode => false;

    /// <summary>Npgsql binds the array as one parameter.</summary>
    public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public override string JsonArrayHas(string column, string value) => $"jsonb_exists({column}::jsonb, {value})";

    public override string Greatest(string a, string b) => $"GREATEST({a}, {b})";

    public override string? AnalyzeAfterBulkWrite(string table) => $"ANALYZE {table}";

    public override bool IsDeadlock(Exception ex) => ex is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected };

    /// <summary>
    /// Transaction-scoped advisory locks on the hashes of the calls' account and key, taken left to right in one
    /// statement (one round trip for a whole batch).
    /// </summary>
    public override string? LockCalls(int count, bool shared) =>
        "SELECT " + string.Join(", ", Enumerable.Range(0, count).Select(i =>
            $"{(shared ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock")}(hashtextextended({StatementCache.Parameter(i)}, 0))"));

    /// <summary>0x5062_7848_7562_0002: the event log's own advisory lock, beside the migration lock (…0001).</summary>
    public override string? LockEventLog => "SELECT pg_advisory_xact_lock(5792324323354214402)";

    // The claim re-checks that nobody claimed a row between this statement's snapshot and its lock: under READ
    // COMMITTED, PostgreSQL evaluates the locking scan's conditions again on the row's newest version.
    public override string ClaimDueDeliveries =>
        """
        WITH due AS (
            SELECT c.id FROM subscriptions s CROSS JOIN LATERAL (
                SELECT d.id, d.next_attempt_at FROM deliveries d
                WHERE d.subscription_id = s.id AND d.state = 'pending' AND d.next_attempt_at <= @now
                  AND (d.claimed_until IS NULL OR d.claimed_until < @now)
                  AND NOT EXISTS (SELECT 1 FROM deliveries p
                      WHERE p.subscription_id = d.subscription_id AND p.call_id = d.call_id AND p.state = 'pending' AND p.event_seq < d.event_seq)
                ORDER BY d.next_attempt_at, d.id LIMIT @perSubscription) c
            WHERE s.enabled = 1
            ORDER BY c.next_attempt_at, c.id LIMIT @limit),
        claimed AS (
            SELECT d.id FROM deliveries d JOIN due ON due.id = d.id
            WHERE d.state = 'pending' AND (d.claimed_until IS NULL OR d.claimed_until < @now)
            FOR UPDATE OF d SKIP LOCKED)
        UPDATE deliveries d SET claimed_by = @node, claimed_until = @claimUntil FROM claimed WHERE d.id = claimed.id
        RETURNING d.id, d.subscription_id, d.event_seq, d.event_id, d.call_id, d.attempts, d.step, d.next_attempt_at
        """;
}
