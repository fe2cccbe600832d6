using PbxHub.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PbxHub.Storage;
using PbxHub.Storage.Sqlite;

namespace PbxHub.IntegrationTests.Storage;

public sealed class MigrationTests
{
    [SqliteFact]
    public async Task Migrate_DatabaseAtVersion2_AddsCallerAndFillsItFromRecords()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pbxhub-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "pbxhub.db");
        await using (var db = new SqliteConnection($"Data Source={file};Pooling=false"))
        {
            await db.OpenAsync();
            var setup = db.CreateCommand();
            setup.CommandText = "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);"
                + string.Concat(SqliteMigrations.All.Take(2).Select(m => m.Sql + $";INSERT INTO schema_migrations VALUES ({m.Version}, 'then');"))
                + """
                  INSERT INTO calls (id, account, provider_call_id, started_at, direction, state, outcome, last_received_at, record, parties_hash)
                  VALUES ('call_1', 'demo', 'c1', 0, 'inbound', 'ended', 'missed', 0, '{"from":{"raw":"89031234567","number":"+79031234567","extension":null}}', 'h');
                  """;
            await setup.ExecuteNonQueryAsync();
        }

        await new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = folder })).MigrateAsync(default);

        await using var check = new SqliteConnection($"Data Source={file};Pooling=false");
        await check.OpenAsync();
        var query = check.CreateCommand();
        query.CommandText = "SELECT caller FROM calls WHERE id = 'call_1'";
        Assert.Equal("+79031234567", await query.ExecuteScalarAsync());
        query.CommandText = "SELECT count(*) FROM schema_migrations";
        Assert.Equal((long)SqliteMigrations.All.Count, await query.ExecuteScalarAsync());
    }

    [SqliteFact]
    public async Task Migrate_BacklogQueuedBehindARetry_LaterEventsWaitForThatRetry()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pbxhub-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "pbxhub.db");
        var before = SqliteMigrations.All.Single(m => m.Sql.Contains("deliveries_subscription_due", StringComparison.Ordinal)).Version;
        await using (var db = new SqliteConnection($"Data Source={file};Pooling=false"))
        {
            await db.OpenAsync();
            var setup = db.CreateCommand();
            setup.CommandText = "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);"
                + string.Concat(SqliteMigrations.All.Where(m => m.Version < before).Select(m => m.Sql + $";INSERT INTO schema_migrations VALUES ({m.Version}, 'then');"))
                + """
                  INSERT INTO deliveries (subscription_id, event_seq, event_id, call_id, state, attempts, step, next_attempt_at, created_at) VALUES
                      ('sub_a', 1, 'evt_1', 'call_1', 'pending', 2, 2, 5000, 1000),
                      ('sub_a', 2, 'evt_2', 'call_1', 'pending', 0, 0, 1000, 1000),
                      ('sub_a', 3, 'evt_3', 'call_1', 'pending', 0, 0, 1000, 1000),
                      ('sub_a', 4, 'evt_4', 'call_2', 'pending', 0, 0, 1000, 1000),
                      ('sub_b', 5, 'evt_2', 'call_1', 'pending', 0, 0, 1000, 1000),
                      ('sub_a', 6, 'evt_6', 'call_3', 'delivered', 1, 0, NULL, 1000),
                      ('sub_a', 7, 'evt_7', 'call_3', 'pending', 0, 0, 1000, 1000);
                  """;
            await setup.ExecuteNonQueryAsync();
        }

        await new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = folder })).MigrateAsync(default);

        await using var check = new SqliteConnection($"Data Source={file};Pooling=false");
        await check.OpenAsync();
        var query = check.CreateCommand();
        query.CommandText = "SELECT subscription_id || ':' || event_id || '=' || COALESCE(next_attempt_at, 'none') FROM deliveries ORDER BY id";
        var rows = new List<string>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        // Only the events behind call_1's retry at 5000, and only for the subscription retrying it, move.
        Assert.Equal(["sub_a:evt_1=5000", "sub_a:evt_2=5000", "sub_a:evt_3=5000", "sub_a:evt_4=1000", "sub_b:evt_2=1000", "sub_a:evt_6=none", "sub_a:evt_7=1000"], rows);
    }
}
