using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using PbxHub.Bench.Targets;

namespace PbxHub.Bench.Storage;

/// <summary>Counts in a child hub's database, read from the outside (SQLite in WAL mode lets a reader in beside the hub).</summary>
internal static class StoreProbe
{
    public static async Task<DbConnection> OpenAsync(HubData data)
    {
        DbConnection connection = data.Postgres is null
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = data.SqlitePath, Pooling = false }.ToString())
            : new NpgsqlConnection(data.Postgres.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static async Task<long> CountAsync(HubData data, string table)
    {
        await using var connection = await OpenAsync(data);
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    public static async Task<IReadOnlyDictionary<string, long>> DeliveriesAsync(HubData data)
    {
        await using var connection = await OpenAsync(data);
        return (await connection.QueryAsync<(string State, long Count)>("SELECT state, count(*) FROM deliveries GROUP BY state"))
            .ToDictionary(r => r.State, r => r.Count);
    }
}
