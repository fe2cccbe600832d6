using Dapper;
using Npgsql;

namespace PbxHub.Bench.Storage;

/// <summary>Which engines a run measures, and where PostgreSQL is (<c>--postgres</c> or <c>THROWAWAY_POSTGRES</c>).</summary>
internal sealed record StorageChoice(IReadOnlyList<string> Engines, string? PostgresServer)
{
    public const string EnvironmentVariable = "THROWAWAY_POSTGRES";

    public static IReadOnlyList<string> ParseEngines(string value) => value switch
    {
        "sqlite" => ["sqlite"],
        "postgres" => ["postgres"],
        "both" => ["sqlite", "postgres"],
        _ => throw new ArgumentException($"--storage must be sqlite, postgres or both, not '{value}'"),
    };

    /// <summary>Fails early, before any load, when PostgreSQL is asked for and nowhere to be found.</summary>
    public StorageChoice Checked()
    {
        var server = PostgresServer ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (Engines.Contains("postgres") && string.IsNullOrWhiteSpace(server))
        {
            throw new ArgumentException(
                $"--storage {string.Join('/', Engines)} needs a PostgreSQL server: --postgres \"Host=…;Username=…\" or {EnvironmentVariable} " +
                "(source scripts/throwaway-postgres.sh sets it)");
        }

        return this with { PostgresServer = server };
    }
}

/// <summary>
/// A fresh PostgreSQL database for one run, created on the given server and dropped on dispose, so no run
/// sees another's rows.
/// </summary>
internal sealed class FreshPostgresDatabase : IAsyncDisposable
{
    private readonly string server;
    private readonly string name;

    private FreshPostgresDatabase(string server, string name, string connectionString)
    {
        this.server = server;
        this.name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<FreshPostgresDatabase> CreateAsync(string server)
    {
        var name = "pbxhub_bench_" + Guid.NewGuid().ToString("n")[..12];
        await using (var connection = new NpgsqlConnection(Maintenance(server)))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new FreshPostgresDatabase(server, name, builder.ConnectionString);
    }

    /// <summary>The server's durability settings, printed beside the figures (the throwaway cluster runs with fsync off).</summary>
    public async Task<string> DurabilityAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var version = await connection.ExecuteScalarAsync<string>("SHOW server_version");
        var fsync = await connection.ExecuteScalarAsync<string>("SHOW fsync");
        var commit = await connection.ExecuteScalarAsync<string>("SHOW synchronous_commit");
        return $"PostgreSQL {version}, fsync={fsync}, synchronous_commit={commit}";
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("PBXHUB_BENCH_KEEP") == "1")
        {
            Console.WriteLine($"  kept: database {name}");
            return;
        }

        await using var connection = new NpgsqlConnection(Maintenance(server));
        await connection.OpenAsync();
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private static string Maintenance(string server) =>
        new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
}
