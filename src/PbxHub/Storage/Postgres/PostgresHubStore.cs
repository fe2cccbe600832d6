using Dapper;
using Npgsql;

namespace PbxHub.Storage.Postgres;

/// <summary>The hub's writes on PostgreSQL: each session a transaction on its own pooled connection, so nodes write side by side.</summary>
internal sealed class PostgresHubStore(PostgresDatabase database, TimeProvider time, EventLogSignal eventLog) : IHubStore
{
    public Task MigrateAsync(CancellationToken ct) => database.MigrateAsync(ct);

    public bool SharedByNodes => true;

    public async Task<IWriteSession> BeginAsync(CancellationToken ct, bool recomputable = false)
    {
        var connection = await database.DataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(ct);
            if (recomputable)
            {
                // Call records can be rebuilt from the raw events, which were committed durably.
                await connection.ExecuteAsync("SET LOCAL synchronous_commit = off", transaction: transaction);
            }

            return new PostgresWriteSession(connection, transaction, time, eventLog);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public IAsyncEnumerable<RawRow> AllRawAsync(CancellationToken ct) => SqlHubReads.AllRawAsync(database, ct);

    public Task<IReadOnlyList<(string Account, string CallKey)>> OpenCallsIdleSinceAsync(
        IReadOnlyCollection<string> accounts, DateTimeOffset before, int limit, CancellationToken ct) =>
        SqlHubReads.OpenCallsIdleSinceAsync(database, accounts, before, limit, ct);

    public Task<bool> IsReadyAsync(CancellationToken ct) => database.IsMigratedAsync(ct);

    /// <summary>No watermark: what is left to fold is listed in <c>fold_pending</c>.</summary>
    public Task<long> FoldedThroughAsync(CancellationToken ct) => Task.FromResult(0L);

    public async Task<IReadOnlyList<(string Account, string CallKey, long Seq)>> CallsWithRawAfterAsync(long seq, CancellationToken ct)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<(string, string, long)>("SELECT account, call_key, max_seq FROM fold_pending ORDER BY max_seq")).ToList();
    }

    public async Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct)
    {
        var connection = await database.DataSource.OpenConnectionAsync(ct);
        var key = JobKey(job);
        if (await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@key)", new { key }))
        {
            return new Lead(connection, key);
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
}
