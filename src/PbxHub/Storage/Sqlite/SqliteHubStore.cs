using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace PbxHub.Storage.Sqlite;

internal sealed class SqliteHubStore(SqliteDatabase database) : IHubStore
{
    public Task MigrateAsync(CancellationToken ct) => database.MigrateAsync(ct);

    public async Task<IWriteSession> BeginAsync(CancellationToken ct)
    {
        var connection = await database.OpenAsync(ct);
        // IMMEDIATE: take the write lock now, so two writers queue instead of failing at commit.
        var transaction = connection.BeginTransaction(deferred: false);
        return new SqliteWriteSession(connection, transaction);
    }

    public async IAsyncEnumerable<RawRow> AllRawAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        long after = 0;
        while (true)
        {
            var page = (await connection.QueryAsync<RawRowData>(
                $"{RawRowData.Select} WHERE seq > @after ORDER BY seq LIMIT 1000", new { after })).ToList();
            foreach (var row in page)
            {
                yield return row.ToRow();
            }

            if (page.Count < 1000)
            {
                yield break;
            }

            after = page[^1].seq;
        }
    }

    public async Task<IReadOnlyList<(string Account, string CallKey)>> OpenCallsIdleSinceAsync(DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string, string)>(
            "SELECT account, provider_call_id FROM calls WHERE state <> 'ended' AND last_received_at < @before LIMIT @limit",
            new { before = before.ToUnixTimeMilliseconds(), limit });
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
}
