using System.Net.Http.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using PbxHub.Bench.Storage;
using PbxHub.Bench.Traffic;
using PbxHub.Cli;
using PbxHub.Storage;

namespace PbxHub.Bench.Targets;

/// <summary>
/// A real hub, built as <c>pbxhub serve</c> builds it, on Kestrel at 127.0.0.1 with durable SQLite
/// ingest in a fresh temporary folder or on a fresh PostgreSQL database (both deleted on dispose), a
/// Sipuni, a HookType and an Evrotel account, and optionally a webhook subscription to every event.
/// </summary>
internal sealed class HubTarget(WebApplication app, string dataDirectory, FreshPostgresDatabase? postgres, string name) : ITarget
{
    private const string Secret = "bench-secret-0123456789";
    private const string EvrotelToken = "bench-evrotel-token-0123";
    private const string ApiKey = "bench-api-key-0123456789";

    private string Address => KestrelAddress.Of(app);

    public string Name => name;

    /// <summary>The accounts: <c>demo</c> (Sipuni), <c>ht</c> (HookType) and <c>kyiv</c> (Evrotel, token in Authorization).</summary>
    public string HookUrl(BenchProvider provider) => provider.Name switch
    {
        "sipuni" => $"{Address}/hooks/demo/{Secret}",
        "hooktype" => $"{Address}/hooks/ht/{Secret}",
        _ => $"{Address}/hooks/kyiv",
    };

    public IReadOnlyDictionary<string, string> Headers(BenchProvider provider) => provider.SecretInPath
        ? new Dictionary<string, string>()
        : new Dictionary<string, string> { ["Authorization"] = EvrotelToken };

    public string DataDirectory => dataDirectory;

    /// <param name="engine"><c>sqlite</c> or <c>postgres</c> (then a fresh database on <paramref name="postgresServer"/>).</param>
    /// <param name="subscriberUrl">When set, a subscription to every event of every account is created through the API before the load.</param>
    public static async Task<HubTarget> StartAsync(string engine, string? postgresServer, string? subscriberUrl, string name)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "pbxhub-bench", Guid.NewGuid().ToString("n"));
        var postgres = engine == "postgres" ? await FreshPostgresDatabase.CreateAsync(postgresServer!) : null;
        var config = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["PbxHub:Storage:Provider"] = engine,
            ["PbxHub:ApiKeys:0"] = ApiKey,
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
            // The benchmark measures the hub's engine from one address at thousands of requests a second,
            // above the flood limits a deployment keeps: those are turned off here.
            ["PbxHub:Network:RateLimits:HooksPerAccount:PermitLimit"] = "0",
            ["PbxHub:Network:RateLimits:HooksPerSource:PermitLimit"] = "0",
            ["PbxHub:Network:RateLimits:ApiPerKey:PermitLimit"] = "0",
            ["PbxHub:Network:RateLimits:ApiPerSource:PermitLimit"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        if (postgres is not null)
        {
            config["PbxHub:Storage:ConnectionString"] = postgres.ConnectionString;
        }

        var args = config.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = HubHost.Build(args, dataDirectory: dataDirectory);
        var hub = new HubTarget(app, dataDirectory, postgres, name);
        try
        {
            await app.StartAsync();
            if (subscriberUrl is not null)
            {
                await hub.SubscribeAsync(subscriberUrl);
            }
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }

        return hub;
    }

    /// <summary>The server's flush settings, or SQLite's.</summary>
    public async Task<string> DurabilityAsync() => postgres is null
        ? $"SQLite {SqliteVersion()}, WAL, synchronous=FULL"
        : await postgres.DurabilityAsync();

    /// <summary>Rows in the store: raw events (what was acknowledged), call records, normalised events, and deliveries by state.</summary>
    public async Task<HubStored> StoredAsync()
    {
        await using var connection = await app.Services.GetRequiredService<ISqlDatabase>().OpenAsync(CancellationToken.None);
        var deliveries = (await connection.QueryAsync<(string State, long Count)>("SELECT state, count(*) FROM deliveries GROUP BY state"))
            .ToDictionary(r => r.State, r => r.Count);
        return new HubStored(
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM raw_events"),
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM calls"),
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM call_events"),
            deliveries);
    }

    private async Task SubscribeAsync(string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Address) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);
        using var response = await http.PostAsJsonAsync("/api/v1/subscriptions", new { url, eventTypes = Array.Empty<string>(), accounts = Array.Empty<string>() });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"creating the subscription failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ExecuteScalar<string>("SELECT sqlite_version()")!;
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
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
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

/// <summary>What a hub stored during its run.</summary>
internal sealed record HubStored(long Raw, long Calls, long Events, IReadOnlyDictionary<string, long> Deliveries);
