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
}
