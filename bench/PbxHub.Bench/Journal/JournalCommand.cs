using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;
using PbxHub.Bench.Storage;
using PbxHub.Cli;
using PbxHub.Storage;

namespace PbxHub.Bench.Journal;

/// <summary>
/// <c>journal</c>: fills a fresh database of each engine with a year of generated calls (bulk SQL into the
/// hub's own schema, migrated by the hub), then times the queries of <c>GET /api/v1/calls</c> through the
/// hub's query code, built by <see cref="HubHost"/> as <c>pbxhub serve</c> builds it.
/// </summary>
internal static class JournalCommand
{
    private const double TargetP95 = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        JournalSettings s;
        try
        {
            s = JournalSettings.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        Console.WriteLine($"PbxHub journal benchmark — {IngestCommand.Environment()}");
        Console.WriteLine(Invariant($"{s.Calls:N0} calls over a year, 4 accounts; each query {s.Runs} runs after {s.Warmup} not counted; page size 100"));
        var end = TimeProvider.System.GetUtcNow();
        var results = new List<(string Engine, IReadOnlyList<JournalTiming> Timings)>();
        foreach (var engine in s.Storage.Engines)
        {
            results.Add((engine, await RunEngineAsync(engine, s, end)));
        }

        Console.WriteLine();
        Console.WriteLine(Invariant($"{"engine",-10}{"query",-20}{"p50 ms",9}{"p95 ms",9}{"max ms",9}{"rows",7}  p95 < {TargetP95} ms"));
        foreach (var (engine, timings) in results)
        {
            foreach (var t in timings)
            {
                Console.WriteLine(Invariant($"{engine,-10}{t.Name,-20}{t.P50,9:0.00}{t.P95,9:0.00}{t.Max,9:0.00}{t.AverageRows,7:0}  {(t.P95 < TargetP95 ? "MET" : "NOT MET")}"));
            }
        }

        return 0;
    }

    private static async Task<IReadOnlyList<JournalTiming>> RunEngineAsync(string engine, JournalSettings s, DateTimeOffset end)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "pbxhub-bench", Guid.NewGuid().ToString("n"));
        await using var postgres = engine == "postgres" ? await FreshPostgresDatabase.CreateAsync(s.Storage.PostgresServer!) : null;
        var config = new List<string> { $"--PbxHub:Storage:Provider={engine}", "--Logging:LogLevel:Default=Warning" };
        if (postgres is not null)
        {
            config.Add($"--PbxHub:Storage:ConnectionString={postgres.ConnectionString}");
        }

        await using var app = HubHost.Build([.. config], dataDirectory: dataDirectory);
        try
        {
            await app.Services.GetRequiredService<IHubStore>().MigrateAsync(CancellationToken.None);
            var generator = new CallGenerator(s.Calls, 20261124, end);
            Console.WriteLine();
            Console.Write($"{engine}: filling {s.Calls:N0} calls … ");
            var clock = Stopwatch.StartNew();
            var sqlitePath = Path.Combine(Path.GetFullPath(dataDirectory), "pbxhub.db");
            var parties = postgres is null
                ? JournalFill.Sqlite(sqlitePath, generator.Calls())
                : await JournalFill.PostgresAsync(postgres.ConnectionString, generator.Calls());
            await using (var db = postgres is null
                ? (System.Data.Common.DbConnection)new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={sqlitePath}")
                : new NpgsqlConnection(postgres.ConnectionString))
            {
                // What the hub's fold keeps as it stores answered calls.
                await db.OpenAsync();
                await db.ExecuteAsync(CallPartyIndex.FillAnsweredNumbers, commandTimeout: 0);
            }

            var fill = clock.Elapsed;
            clock.Restart();
            if (postgres is not null)
            {
                // What autovacuum does soon after a bulk load; done at once so the first runs see the same plans as the last.
                await using var connection = new NpgsqlConnection(postgres.ConnectionString);
                await connection.OpenAsync();
                await connection.ExecuteAsync("VACUUM ANALYZE calls", commandTimeout: 0);
                await connection.ExecuteAsync("VACUUM ANALYZE call_parties", commandTimeout: 0);
                await connection.ExecuteAsync("VACUUM ANALYZE answered_numbers", commandTimeout: 0);
            }

            var size = postgres is null ? SqliteSize(sqlitePath) : await PostgresSizeAsync(postgres.ConnectionString);
            var vacuum = postgres is null ? "" : Invariant($", VACUUM ANALYZE {clock.Elapsed.TotalSeconds:0} s");
            Console.WriteLine(Invariant($"{fill.TotalSeconds:0} s ({s.Calls / fill.TotalSeconds:N0} calls/s, {parties:N0} index entries){vacuum}; database {size / 1048576.0:N0} MiB ({size / (double)s.Calls:0} bytes a call)"));
            if (postgres is not null)
            {
                Console.WriteLine($"  {await postgres.DurabilityAsync()}");
            }

            var queries = app.Services.GetRequiredService<ICallQueries>();
            var timings = new List<JournalTiming>();
            foreach (var query in JournalQueries.All(generator))
            {
                var t = await JournalQueries.TimeAsync(queries, query, s.Runs, s.Warmup, 7);
                Console.WriteLine(Invariant($"  {t.Name,-20} p50 {t.P50:0.00} ms, p95 {t.P95:0.00} ms, max {t.Max:0.00} ms ({t.AverageRows:0} rows)"));
                timings.Add(t);
            }

            return timings;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Environment.GetEnvironmentVariable("PBXHUB_BENCH_KEEP") == "1")
            {
                Console.WriteLine($"  kept: {dataDirectory}");
            }
            else if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private static long SqliteSize(string path) =>
        new[] { path, path + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length);

    private static async Task<long> PostgresSizeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT pg_database_size(current_database())");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The <c>journal</c> verb's options.</summary>
internal sealed record JournalSettings(int Calls, int Runs, int Warmup, StorageChoice Storage)
{
    public static JournalSettings Parse(string[] args)
    {
        var s = new JournalSettings(1_000_000, 200, 10, new StorageChoice(["sqlite", "postgres"], null));
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            s = name switch
            {
                "--calls" => s with { Calls = Whole(name, value, 1000, 20_000_000) },
                "--runs" => s with { Runs = Whole(name, value, 1, 100_000) },
                "--warmup" => s with { Warmup = Whole(name, value, 0, 10_000) },
                "--storage" => s with { Storage = s.Storage with { Engines = StorageChoice.ParseEngines(value) } },
                "--postgres" => s with { Storage = s.Storage with { PostgresServer = value } },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return s with { Storage = s.Storage.Checked() };
    }

    private static int Whole(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'");
}
