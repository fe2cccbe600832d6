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
    private string Address => KestrelAddress.Of(app);

    public string Name => name;

    /// <summary>The accounts of <see cref="HubSettings"/>.</summary>
    public string HookUrl(BenchProvider provider) => HubSettings.HookUrl(Address, provider);

    public IReadOnlyDictionary<string, string> Headers(BenchProvider provider) => HubSettings.Headers(provider);

    public string DataDirectory => dataDirectory;

    /// <param name="engine"><c>sqlite</c> or <c>postgres</c> (then a fresh database on <paramref name="postgresServer"/>).</param>
    /// <param name="subscriberUrl">When set, a subscription to every event of every account is created through the API before the load.</param>
    public static async Task<HubTarget> StartAsync(string engine, string? postgresServer, string? subscriberUrl, string name)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "pbxhub-bench", Guid.NewGuid().ToString("n"));
        var postgres = engine == "postgres" ? await FreshPostgresDatabase.CreateAsync(postgresServer!) : null;
        var config = HubSettings.For(engine, postgres?.ConnectionString);
        config["urls"] = "http://127.0.0.1:0";
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
        using var api = new HubApi(Address);
        await api.SubscribeAsync(url);
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
