using Dapper;
using Microsoft.Data.Sqlite;

namespace PbxHub.Storage.Sqlite;

/// <summary>
/// SQLite has one writer at a time, so the store keeps one long-lived writer connection and hands
/// it to one session at a time: writers queue here instead of spinning on SQLite's busy lock.
/// </summary>
internal sealed class SqliteHubStore(
    SqliteDatabase database, Microsoft.Extensions.Options.IOptions<StorageOptions> options, TimeProvider time, EventLogSignal eventLog)
    : IHubStore, IAsyncDisposable
{
    private readonly bool flushesEveryCommit = options.Value.Synchronous == "full";
    private bool flushing = true;
    private readonly SemaphoreSlim writerLock = new(1, 1);
    private SqliteConnection? writer;
    private SqliteWriterCommands? commands;

    public Task MigrateAsync(CancellationToken ct) => database.MigrateAsync(ct);

    public bool SharedByNodes => false;

    public async Task<IWriteSession> BeginAsync(CancellationToken ct, bool recomputable = false)
    {
        await writerLock.WaitAsync(ct);
        try
        {
            if (writer is null)
            {
                writer = await database.OpenWriterAsync(ct);
                commands = new SqliteWriterCommands(writer);
            }

            if (flushesEveryCommit && flushing == recomputable)
            {
                flushing = !recomputable;
                using var pragma = writer.CreateCommand();
                pragma.CommandText = flushing ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
                pragma.ExecuteNonQuery();
            }

            // IMMEDIATE: another process (a CLI verb) writing at the same time makes this wait, not fail at commit.
            var transaction = writer.BeginTransaction(deferred: false);
            return new SqliteWriteSession(writer, transaction, commands!, () => writerLock.Release(), time, eventLog);
        }
        catch
        {
            writerLock.Release();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a transaction on the writer connection, queued with every other writer.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var session = (SqliteWriteSession)await BeginAsync(ct);
        var result = await work(session.Connection, session.Transaction);
        await session.CommitAsync(ct);
        return result;
    }

    public IAsyncEnumerable<RawRow> AllRawAsync(CancellationToken ct) => SqlHubReads.AllRawAsync(Sql, ct);

    public Task<IReadOnlyList<(string Account, string CallKey)>> OpenCallsIdleSinceAsync(
        IReadOnlyCollection<string> accounts, DateTimeOffset before, int limit, CancellationToken ct) =>
        SqlHubReads.OpenCallsIdleSinceAsync(Sql, accounts, before, limit, ct);

    /// <summary>One node: every job is this node's.</summary>
    public Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct) => Task.FromResult<IAsyncDisposable?>(NoLock.Instance);

    private SqliteSql Sql => sql ??= new SqliteSql(database, this);

    private SqliteSql? sql;

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public async Task<long> FoldedThroughAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>("SELECT folded_through FROM fold_state WHERE id = 1");
    }

    /// <summary>
    /// NOT INDEXED: the few rows past the mark, found by their rowid. Left to itself SQLite walks the whole (account,
    /// call_key) index to avoid sorting the groups, on every orphan sweep, however few rows are new.
    /// </summary>
    public const string CallsWithRawAfter =
        "SELECT account, call_key, MAX(seq) FROM raw_events NOT INDEXED WHERE seq > @seq AND call_key IS NOT NULL GROUP BY account, call_key";

    public async Task<IReadOnlyList<(string Account, string CallKey, long Seq)>> CallsWithRawAfterAsync(long seq, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string, string, long)>(CallsWithRawAfter, new { seq });
        return rows.ToList();
    }

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations") >= SqliteMigrations.All.Count;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (writer is not null)
        {
            await writer.DisposeAsync();
        }

        writerLock.Dispose();
    }
}
