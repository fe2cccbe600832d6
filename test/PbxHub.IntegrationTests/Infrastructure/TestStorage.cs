using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>
/// The engine under test. The suite runs on SQLite; with <c>PBXHUB_TEST_STORAGE=postgres</c> and a server in
/// <c>PBXHUB_TEST_POSTGRES</c> (test.sh starts a throwaway cluster), the same tests run on PostgreSQL:
/// every hub's data folder then names its own database, so a restarted hub finds its data again.
/// </summary>
internal static class TestStorage
{
    private static readonly ConcurrentDictionary<string, string> Created = new();

    public static bool IsPostgres => Environment.GetEnvironmentVariable("PBXHUB_TEST_STORAGE") == "postgres";

    private static string Server => Environment.GetEnvironmentVariable("PBXHUB_TEST_POSTGRES")
        ?? throw new InvalidOperationException("PBXHUB_TEST_STORAGE=postgres needs PBXHUB_TEST_POSTGRES (a connection string); run ./test.sh");

    /// <summary>The configuration keys that point a hub with this data folder at its database.</summary>
    public static IReadOnlyDictionary<string, string> Settings(string dataDirectory) => IsPostgres
        ? new Dictionary<string, string>
        {
            ["PbxHub:Storage:Provider"] = "postgres",
            ["PbxHub:Storage:ConnectionString"] = ConnectionString(dataDirectory),
        }
        : new Dictionary<string, string>();

    public static IReadOnlyDictionary<string, string> EnvironmentFor(string dataDirectory) =>
        Settings(dataDirectory).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);

    /// <summary>A connection to the hub's database, for tests that look at or plant rows.</summary>
    public static async Task<DbConnection> OpenAsync(string dataDirectory)
    {
        DbConnection connection = IsPostgres
            ? new NpgsqlConnection(ConnectionString(dataDirectory))
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "pbxhub.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Whether the hub's database exists yet (nothing stored before the first start).</summary>
    public static bool Exists(string dataDirectory) => IsPostgres ? Created.ContainsKey(dataDirectory) : File.Exists(Path.Combine(dataDirectory, "pbxhub.db"));

    private static string ConnectionString(string dataDirectory)
    {
        var name = Created.GetOrAdd(Path.GetFullPath(dataDirectory), dir =>
        {
            var db = "hub_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dir)))[..20];
            using var admin = new NpgsqlConnection(Server);
            admin.Open();
            using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @db", admin);
            exists.Parameters.AddWithValue("db", db);
            if ((long)exists.ExecuteScalar()! == 0)
            {
                using var create = new NpgsqlCommand($"CREATE DATABASE {db}", admin);
                create.ExecuteNonQuery();
            }

            return db;
        });
        return new NpgsqlConnectionStringBuilder(Server) { Database = name }.ToString();
    }
}

/// <summary>A test about SQLite itself (its file, its migrations): skipped when the suite runs on PostgreSQL.</summary>
internal sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute()
    {
        if (TestStorage.IsPostgres)
        {
            Skip = "about the SQLite engine itself";
        }
    }
}

/// <summary>A test of several nodes on one database: only PostgreSQL has that, so it is skipped on SQLite.</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestStorage.IsPostgres)
        {
            Skip = "several nodes share one database on PostgreSQL only (./test.sh runs this on a throwaway cluster)";
        }
    }
}
