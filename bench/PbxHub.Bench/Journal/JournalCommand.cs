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
/// hub's query code, built by <see cref="HubHost"/> as <c>pbxhub serve</c> builds it: first at a checkpoint
/// (an even sample of the year), then again after the fill has gone on to the full count, so the ratio of
/// the two is measured in one run on one database.
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

        Console.WriteLine($"PbxHub journal benchmark — {IngestCommand.Environment()}; load average {LoadAverage.Now()}");
        var at = string.Join(", ", s.Checkpoints.Append(s.Calls).Select(c => c.ToString("N0", CultureInfo.InvariantCulture)));
        Console.WriteLine(Invariant($"{s.Calls:N0} calls over a year, 4 accounts; queries timed at {at} calls; each query {s.Runs} runs after {s.Warmup} not counted; page size 100"));
        var end = TimeProvider.System.GetUtcNow();
        var results = new List<(string Engine, IReadOnlyList<JournalStage> Stages)>();
        foreach (var engine in s.Storage.Engines)
        {
            results.Add((engine, await RunEngineAsync(engine, s, end)));
        }

        Summary(results);
        return 0;
    }

    private static void Summary(List<(string Engine, IReadOnlyList<JournalStage> Stages)> results)
    {
        Console.WriteLine();
        foreach (var (engine, stages) in results)
        {
            var sizes = string.Join(" → ", stages.Select(st => Invariant($"{st.Calls:N0} calls: +{st.Fill.TotalSeconds:0} s, {st.Bytes / 1048576.0:N0} MiB")));
            Console.WriteLine($"{engine}: {sizes}");
        }

        Console.WriteLine();
        Console.WriteLine(Invariant($"p95 ms (rows a page) at each size; × = p95 at the last size / p95 at the first, measured in the same run on the same database; target p95 < {TargetP95} ms"));
        var header = new System.Text.StringBuilder(Invariant($"{"engine",-10}{"query",-20}"));
        foreach (var st in results[0].Stages)
        {
            header.Append(Invariant($"{st.Calls,16:N0}"));
        }

        Console.WriteLine(header.Append(Invariant($"{"×",8}  at the last size")));
        foreach (var (engine, stages) in results)
        {
            for (var q = 0; q < stages[^1].Timings.Count; q++)
            {
                var line = new System.Text.StringBuilder(Invariant($"{engine,-10}{stages[0].Timings[q].Name,-20}"));
                foreach (var st in stages)
                {
                    line.Append(Invariant($"{$"{st.Timings[q].P95:0.00} ({st.Timings[q].AverageRows:0})",16}"));
                }

                var last = stages[^1].Timings[q];
                line.Append(Invariant($"{last.P95 / stages[0].Timings[q].P95,8:0.00}  {(last.P95 < TargetP95 ? "MET" : "NOT MET")}"));
                Console.WriteLine(line);
            }
        }
    }

    private static async Task<IReadOnlyList<JournalStage>> RunEngineAsync(string engine, JournalSettings s, DateTimeOffset end)
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
            await app.Services.GetRequiredService<HubStore>().MigrateAsync(CancellationToken.None);
            var generator = new CallGenerator(s.Calls, 20261124, end, s.Checkpoints);
            var sqlitePath = Path.Combine(Path.GetFullPath(dataDirectory), "pbxhub.db");
            var stages = new List<JournalStage>();
            Console.WriteLine();
            if (postgres is not null)
            {
                Console.WriteLine($"{engine}: {await postgres.DurabilityAsync()}");
            }

            var target = 0;
            for (var stage = 1; stage <= generator.StageCounts.Count; stage++)
            {
                var adding = generator.StageCounts[stage - 1];
                target += adding;
                Console.WriteLine(Invariant($"{engine}: filling {adding:N0} calls (to {target:N0}) — load average {LoadAverage.Now()}"));
                var clock = Stopwatch.StartNew();
                var calls = Progress(generator.Calls(stage), adding, clock);
                var parties = postgres is null
                    ? JournalFill.Sqlite(sqlitePath, calls)
                    : await JournalFill.PostgresAsync(postgres.ConnectionString, calls);
                await JournalFill.RefreshAnsweredNumbersAsync(sqlitePath, postgres?.ConnectionString);
                var fill = clock.Elapsed;
                clock.Restart();
                if (postgres is not null)
                {
                    await JournalFill.VacuumAsync(postgres.ConnectionString);
                }

                var size = postgres is null ? SqliteSize(sqlitePath) : await PostgresSizeAsync(postgres.ConnectionString);
                var vacuum = postgres is null ? "" : Invariant($", VACUUM ANALYZE {clock.Elapsed.TotalSeconds:0} s");
                Console.WriteLine(Invariant($"{engine}: {target:N0} calls — added in {fill.TotalSeconds:0} s ({adding / fill.TotalSeconds:N0} calls/s, {parties:N0} index entries){vacuum}; database {size / 1048576.0:N0} MiB ({size / (double)target:0} bytes a call)"));
                var timings = await MeasureAsync(app, generator, stage, s);
                stages.Add(new JournalStage(target, fill, size, timings));
            }

            return stages;
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

    private static async Task<IReadOnlyList<JournalTiming>> MeasureAsync(WebApplication app, CallGenerator generator, int stage, JournalSettings s)
    {
        var queries = app.Services.GetRequiredService<ICallQueries>();
        var timings = new List<JournalTiming>();
        Console.WriteLine($"  queries (load average {LoadAverage.Now()}):");
        foreach (var query in JournalQueries.All(generator, stage))
        {
            var t = await JournalQueries.TimeAsync(queries, query, s.Runs, s.Warmup, 7);
            Console.WriteLine(Invariant($"  {t.Name,-20} p50 {t.P50:0.00} ms, p95 {t.P95:0.00} ms, max {t.Max:0.00} ms ({t.AverageRows:0} rows)"));
            timings.Add(t);
        }

        return timings;
    }

    private static IEnumerable<StoredCall> Progress(IEnumerable<StoredCall> calls, long total, Stopwatch clock)
    {
        long n = 0;
        foreach (var call in calls)
        {
            yield return call;
            if (++n % 500_000 == 0 && n < total)
            {
                Console.WriteLine(Invariant($"  {n:N0} / {total:N0} ({n / clock.Elapsed.TotalSeconds:N0} calls/s, {clock.Elapsed.TotalMinutes:0.0} min, load average {LoadAverage.Now()})"));
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

/// <summary>The queries timed at one size of the journal.</summary>
internal sealed record JournalStage(int Calls, TimeSpan Fill, long Bytes, IReadOnlyList<JournalTiming> Timings);
