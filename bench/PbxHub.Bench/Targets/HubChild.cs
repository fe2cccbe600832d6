using Microsoft.Data.Sqlite;
using PbxHub.Bench.Storage;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Targets;

/// <summary>
/// Where a child hub keeps its data: a fresh SQLite folder under <c>$TMPDIR/pbxhub-bench/</c> or a fresh PostgreSQL
/// database, deleted on dispose; several hubs may be started on it one after the other.
/// </summary>
internal sealed class HubData : IAsyncDisposable
{
    private HubData(string engine, string directory, FreshPostgresDatabase? postgres)
    {
        Engine = engine;
        Directory = directory;
        Postgres = postgres;
    }

    public string Engine { get; }

    public string Directory { get; }

    public FreshPostgresDatabase? Postgres { get; }

    public string SqlitePath => Path.Combine(Directory, "pbxhub.db");

    public static async Task<HubData> CreateAsync(string engine, string? postgresServer)
    {
        var directory = Path.Combine(Path.GetTempPath(), "pbxhub-bench", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(directory);
        return new HubData(engine, directory, engine == "postgres" ? await FreshPostgresDatabase.CreateAsync(postgresServer!) : null);
    }

    /// <summary>
    /// Migrates the database (a hub started once and stopped), then writes <paramref name="calls"/> of the journal's
    /// generated calls into it, as the fold writes them, with no raw events behind them: a hub that has run for a while.
    /// </summary>
    public async Task FillAsync(int calls)
    {
        await (await HubChild.StartAsync(this, Engine)).DisposeAsync();
        var generator = new Journal.CallGenerator(calls, 20261124, TimeProvider.System.GetUtcNow());
        if (Postgres is null)
        {
            Journal.JournalFill.Sqlite(SqlitePath, generator.Calls(1));
        }
        else
        {
            await Journal.JournalFill.PostgresAsync(Postgres.ConnectionString, generator.Calls(1));
            await Journal.JournalFill.VacuumAsync(Postgres.ConnectionString);
        }

        await Journal.JournalFill.RefreshAnsweredNumbersAsync(SqlitePath, Postgres?.ConnectionString);
    }

    public async Task<string> DurabilityAsync() => Postgres is null ? "SQLite, WAL, synchronous=FULL" : await Postgres.DurabilityAsync();

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}

/// <summary>The real hub as <c>dotnet pbxhub.dll serve --data DIR</c>, configured through environment variables as a deployment does.</summary>
internal sealed class HubChild(ChildServer server, string name) : ITarget
{
    public string Name => name;

    public ChildServer Server => server;

    public string HookUrl(BenchProvider provider) => HubSettings.HookUrl(server.BaseUrl, provider);

    public IReadOnlyDictionary<string, string> Headers(BenchProvider provider) => HubSettings.Headers(provider);

    public static async Task<HubChild> StartAsync(HubData data, string name, IReadOnlyDictionary<string, string>? extra = null)
    {
        var config = HubSettings.For(data.Engine, data.Postgres?.ConnectionString);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            config[key] = value;
        }

        var server = await ChildServer.StartAsync(
            ChildServer.Dll("pbxhub.dll"), ["serve", "--data", data.Directory], HubSettings.AsEnvironment(config), "/readyz", TimeSpan.FromMinutes(5));
        return new HubChild(server, name);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

/// <summary>The no-op (<see cref="NoopTarget"/>) as its own process: <c>dotnet PbxHub.Bench.dll serve-noop</c>.</summary>
internal sealed class NoopChild(ChildServer server) : ITarget
{
    public string Name => "no-op";

    public ChildServer Server => server;

    public string HookUrl(BenchProvider provider) => server.BaseUrl + (provider.SecretInPath ? "/hooks/demo/s3cret" : "/hooks/demo");

    public IReadOnlyDictionary<string, string> Headers(BenchProvider provider) => new Dictionary<string, string>();

    public static async Task<NoopChild> StartAsync() => new(await ChildServer.StartAsync(
        ChildServer.Dll("PbxHub.Bench.dll"), ["serve-noop"], new Dictionary<string, string>(), "/readyz", TimeSpan.FromMinutes(2)));

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
