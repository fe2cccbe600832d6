using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PbxHub.Bench.Traffic;
using PbxHub.Cli;
using PbxHub.Storage;

namespace PbxHub.Bench.Targets;

/// <summary>
/// A real hub, built as <c>pbxhub serve</c> builds it, on Kestrel at 127.0.0.1 with durable SQLite
/// ingest in a fresh temporary folder (deleted on dispose) and a Sipuni, a HookType and an Evrotel account.
/// </summary>
internal sealed class HubTarget(WebApplication app, string dataDirectory) : ITarget
{
    private const string Secret = "bench-secret-0123456789";
    private const string EvrotelToken = "bench-evrotel-token-0123";

    private readonly string address = KestrelAddress.Of(app);

    public string Name => "hub";

    /// <summary>The accounts: <c>demo</c> (Sipuni), <c>ht</c> (HookType) and <c>kyiv</c> (Evrotel, token in Authorization).</summary>
    public string HookUrl(BenchProvider provider) => provider.Name switch
    {
        "sipuni" => $"{address}/hooks/demo/{Secret}",
        "hooktype" => $"{address}/hooks/ht/{Secret}",
        _ => $"{address}/hooks/kyiv",
    };

    public IReadOnlyDictionary<string, string> Headers(BenchProvider provider) => provider.SecretInPath
        ? new Dictionary<string, string>()
        : new Dictionary<string, string> { ["Authorization"] = EvrotelToken };

    public string DataDirectory => dataDirectory;

    public static async Task<HubTarget> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "pbxhub-bench", Guid.NewGuid().ToString("n"));
        var config = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["PbxHub:ApiKeys:0"] = "bench-api-key-0123456789",
            ["PbxHub:Accounts:0:Id"] = "demo",
            ["PbxHub:Accounts:0:Provider"] = "sipuni",
            ["PbxHub:Accounts:0:Secret"] = Secret,
            ["PbxHub:Accounts:0:TimeZone"] = "Europe/Moscow",
            ["PbxHub:Accounts:0:Country"] = "RU",
            ["PbxHub:Accounts:0:Sipuni:UserNumber"] = "012345",
            ["PbxHub:Accounts:1:Id"] = "ht",
            ["PbxHub:Accounts:1:Provider"] = "hooktype",
            ["PbxHub:Accounts:1:Secret"] = Secret,
            ["PbxHub:Accounts:1:TimeZone"] = "Europe/Moscow",
            ["PbxHub:Accounts:2:Id"] = "kyiv",
            ["PbxHub:Accounts:2:Provider"] = "evrotel",
            ["PbxHub:Accounts:2:TimeZone"] = "Europe/Kyiv",
            ["PbxHub:Accounts:2:Country"] = "UA",
            ["PbxHub:Accounts:2:Evrotel:Token"] = EvrotelToken,
            ["PbxHub:Accounts:2:Evrotel:RecordingBaseUrl"] = "https://records.evrotel.example/calls",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        var args = config.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = HubHost.Build(args, dataDirectory: dataDirectory);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            Delete(dataDirectory);
            throw;
        }

        return new HubTarget(app, dataDirectory);
    }

    /// <summary>Rows in the store: raw events (what was acknowledged), call records and normalised events.</summary>
    public async Task<(long Raw, long Calls, long Events)> StoredAsync()
    {
        var path = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.SqlitePath;
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        return (
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM raw_events"),
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM calls"),
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM call_events"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Delete(dataDirectory);
        }
    }

    private static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
