using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Storage;
using PbxHub.Storage.Sqlite;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>
/// The statements that run on every fold, dispatch round or sweep must read a few rows whatever the size of the
/// tables: SQLite plans without statistics (the hub never runs ANALYZE), so a plan that scans grows slower with the
/// data — as a fold's delivery insert did (ingest fell from 3 000 to 250 requests a second within minutes) and the
/// dispatcher's claim did (a backlog of 50 000 drained at a few dozen deliveries a second).
/// </summary>
public sealed class SqlitePlanTests
{
    [SqliteFact]
    public async Task FoldDeliveries_MigratedDatabase_FindTheFoldsEventsAndTheirCallsEarlierDeliveriesByIndex()
    {
        await using var db = await MigratedAsync();
        var plan = await PlanAsync(db, WriteSql.For(SqliteDialect.Instance).InsertDeliveries(4), ("@p0", 2000), ("@p1", 5), ("@p2", 6), ("@p3", 7), ("@p4", 8));

        // Every fold runs this: a scan of call_events here made ingest slow down as the event log grew.
        Assert.Contains(plan, step => step.StartsWith("SEARCH e USING INDEX call_events_snapshot (snapshot_id=?)", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.StartsWith("SEARCH p USING", StringComparison.Ordinal) && step.Contains("INDEX deliveries_call (subscription_id=? AND call_id=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("SCAN e", StringComparison.Ordinal) || step.Contains("SCAN p", StringComparison.Ordinal));
    }

    [SqliteFact]
    public async Task FoldedThrough_MigratedDatabase_ClearsTheCallsMarkByItsKey()
    {
        await using var db = await MigratedAsync();
        var plan = await PlanAsync(
            db, WriteSql.For(SqliteDialect.Instance).FoldedThrough(4),
            [.. Enumerable.Range(0, 4).SelectMany(i => new (string, object)[] { ($"@p{3 * i}", "acme"), ($"@p{3 * i + 1}", $"call-{i}"), ($"@p{3 * i + 2}", 1000) })]);

        // Every fold runs this for its calls: a scan of what is left to fold would grow with a backlog.
        Assert.Contains(plan, step => step.StartsWith("SEARCH fold_pending USING PRIMARY KEY (account=? AND call_key=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
    }

    private static async Task<SqliteConnection> MigratedAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pbxhub-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        await new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = folder })).MigrateAsync(default);
        var db = new SqliteConnection($"Data Source={Path.Combine(folder, "pbxhub.db")};Pooling=false");
        await db.OpenAsync();
        return db;
    }

    private static async Task<List<string>> PlanAsync(SqliteConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        using var explain = db.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            explain.Parameters.AddWithValue(name, value);
        }

        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    [SqliteFact]
    public async Task ClaimDueDeliveries_MigratedDatabaseWithABacklog_WalksTheSubscriptionsDueIndexWithoutSorting()
    {
        await using var db = await MigratedAsync();
        using var fill = db.CreateCommand();
        fill.CommandText =
            """
            INSERT INTO subscriptions (id, url, event_types, accounts, enabled, secret, created_at)
            VALUES ('sub_a', 'http://127.0.0.1:9/a', '[]', '[]', 1, 's', 0), ('sub_b', 'http://127.0.0.1:9/b', '[]', '[]', 1, 's', 0);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
            INSERT INTO deliveries (subscription_id, event_seq, event_id, call_id, state, attempts, step, next_attempt_at, created_at)
            SELECT CASE WHEN i % 5 = 0 THEN 'sub_b' ELSE 'sub_a' END, i, 'evt_' || i, 'call_' || (i / 7), 'pending', 0, 0, 1000, 1000 FROM n;
            """;
        await fill.ExecuteNonQueryAsync();

        var plan = await PlanAsync(db, SqliteDialect.Instance.ClaimDueDeliveries, ("@sub", "sub_a"), ("@now", 2000), ("@perSubscription", 8));
        var text = string.Join(" | ", plan);
        Assert.Contains(plan, step => step.StartsWith("SEARCH d USING INDEX deliveries_subscription_due (subscription_id=? AND next_attempt_at<?)", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.StartsWith("SEARCH p USING", StringComparison.Ordinal) && step.Contains("INDEX deliveries_call (subscription_id=? AND call_id=? AND event_seq<?)", StringComparison.Ordinal));
        Assert.DoesNotContain("TEMP B-TREE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", text, StringComparison.Ordinal);
    }
}
