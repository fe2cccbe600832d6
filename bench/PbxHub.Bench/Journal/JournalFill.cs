using Dapper;
using PbxHub.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace PbxHub.Bench.Journal;

/// <summary>
/// Writes generated calls straight into <c>calls</c> and <c>call_parties</c>, the columns the hub's
/// fold writes (SqliteWriteSession / PostgresWriteSession SaveCallAsync), in bulk: a migrated, empty database first.
/// </summary>
internal static class JournalFill
{
    private const string CallColumns = "id, account, provider_call_id, started_at, direction, state, outcome, last_received_at, record, parties_hash, caller";

    private const int CallsPerTransaction = 100_000;

    /// <summary>
    /// SQLite: two prepared statements, a commit every 100 000 calls; each commit checkpoints the WAL and, with
    /// synchronous=NORMAL, flushes it, so the fill never leaves gigabytes of dirty pages that stall other processes' fsyncs.
    /// </summary>
    public static long Sqlite(string path, IEnumerable<StoredCall> calls)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-1048576;");
        var transaction = connection.BeginTransaction();
        using var insertCall = connection.CreateCommand();
        insertCall.CommandText = $"INSERT INTO calls ({CallColumns}) VALUES ($id, $account, $pcid, $started, $direction, $state, $outcome, $last, $record, $hash, $caller)";
        var callParameters = new[] { "$id", "$account", "$pcid", "$started", "$direction", "$state", "$outcome", "$last", "$record", "$hash", "$caller" }
            .Select(n => insertCall.Parameters.AddWithValue(n, DBNull.Value)).ToArray();
        using var insertParty = connection.CreateCommand();
        insertParty.CommandText = "INSERT OR IGNORE INTO call_parties (value, call_id, role) VALUES ($value, $call, $role)";
        var partyParameters = new[] { "$value", "$call", "$role" }.Select(n => insertParty.Parameters.AddWithValue(n, DBNull.Value)).ToArray();
        insertCall.Transaction = transaction;
        insertParty.Transaction = transaction;
        insertCall.Prepare();
        insertParty.Prepare();
        long parties = 0;
        long written = 0;
        foreach (var c in calls)
        {
            if (++written % CallsPerTransaction == 0)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                insertCall.Transaction = transaction;
                insertParty.Transaction = transaction;
            }

            var values = Values(c);
            for (var i = 0; i < values.Length; i++)
            {
                callParameters[i].Value = values[i] ?? DBNull.Value;
            }

            insertCall.ExecuteNonQuery();
            foreach (var (value, role) in c.Parties)
            {
                partyParameters[0].Value = value;
                partyParameters[1].Value = c.Record.Id;
                partyParameters[2].Value = role;
                parties += insertParty.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        transaction.Dispose();
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        return parties;
    }

    /// <summary>PostgreSQL: a binary COPY into each table, on two connections side by side.</summary>
    public static async Task<long> PostgresAsync(string connectionString, IEnumerable<StoredCall> calls)
    {
        await using var callConnection = new NpgsqlConnection(connectionString);
        await using var partyConnection = new NpgsqlConnection(connectionString);
        await callConnection.OpenAsync();
        await partyConnection.OpenAsync();
        await using var callCopy = await callConnection.BeginBinaryImportAsync($"COPY calls ({CallColumns}) FROM STDIN (FORMAT BINARY)");
        await using var partyCopy = await partyConnection.BeginBinaryImportAsync("COPY call_parties (value, call_id, role) FROM STDIN (FORMAT BINARY)");
        long parties = 0;
        foreach (var c in calls)
        {
            var v = Values(c);
            await callCopy.StartRowAsync();
            await callCopy.WriteAsync((string)v[0]!, NpgsqlDbType.Text);
            await callCopy.WriteAsync((string)v[1]!, NpgsqlDbType.Text);
            await callCopy.WriteAsync((string)v[2]!, NpgsqlDbType.Text);
            await callCopy.WriteAsync((long)v[3]!, NpgsqlDbType.Bigint);
            await callCopy.WriteAsync((string)v[4]!, NpgsqlDbType.Text);
            await callCopy.WriteAsync((string)v[5]!, NpgsqlDbType.Text);
            await WriteNullableAsync(callCopy, (string?)v[6]);
            await callCopy.WriteAsync((long)v[7]!, NpgsqlDbType.Bigint);
            await callCopy.WriteAsync((string)v[8]!, NpgsqlDbType.Text);
            await callCopy.WriteAsync((string)v[9]!, NpgsqlDbType.Text);
            await WriteNullableAsync(callCopy, (string?)v[10]);
            foreach (var (value, role) in c.Parties)
            {
                await partyCopy.WriteRowAsync(default, value, c.Record.Id, role);
                parties++;
            }
        }

        await callCopy.CompleteAsync();
        await partyCopy.CompleteAsync();
        return parties;
    }

    /// <summary>What the hub's fold keeps as it stores answered calls, computed again over everything stored so far.</summary>
    public static async Task RefreshAnsweredNumbersAsync(string sqlitePath, string? postgres)
    {
        await using var db = postgres is null
            ? (System.Data.Common.DbConnection)new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={sqlitePath}")
            : new NpgsqlConnection(postgres);
        await db.OpenAsync();
        await db.ExecuteAsync("DELETE FROM answered_numbers", commandTimeout: 0);
        await db.ExecuteAsync(CallPartyIndex.FillAnsweredNumbers, commandTimeout: 0);
    }

    /// <summary>What autovacuum does soon after a bulk load; done at once so the first runs see the same plans as the last.</summary>
    public static async Task VacuumAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "calls", "call_parties", "answered_numbers" })
        {
            await connection.ExecuteAsync($"VACUUM ANALYZE {table}", commandTimeout: 0);
        }
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(value, NpgsqlDbType.Text);
        }
    }

    private static object?[] Values(StoredCall c) =>
    [
        c.Record.Id, c.Record.Account, c.Record.ProviderCallId, c.Record.StartedAt.ToUnixTimeMilliseconds(), c.Record.Direction,
        c.Record.State, c.Record.Outcome, (c.Record.EndedAt ?? c.Record.StartedAt).ToUnixTimeMilliseconds(), c.Json, c.PartiesHash, c.Caller,
    ];

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
