using Dapper;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Storage.Postgres;
using PbxHub.Storage.Sqlite;

namespace PbxHub.IntegrationTests.Crash;

/// <summary>
/// Puts a hub's database, with all its data, back before the migration that fills answered_numbers from the stored
/// calls (the one migration with real work to do on a full database), so that it can be killed; and checks what a
/// killed migration left. The runner applies every version that is not recorded, so undoing one version is enough.
/// </summary>
internal static class SchemaRollback
{
    private static (long Version, string Sql) Target =>
        (TestStorage.IsPostgres ? PostgresMigrations.All : SqliteMigrations.All)
        .Single(m => m.Sql.Contains("CREATE TABLE answered_numbers", StringComparison.Ordinal));

    private static int MigrationCount => TestStorage.IsPostgres ? PostgresMigrations.All.Count : SqliteMigrations.All.Count;

    /// <summary>Undoes the engine's answered_numbers migration, leaving every other version applied.</summary>
    public static async Task UndoAnsweredNumbersAsync(string data)
    {
        var version = Target.Version;
        await using var db = await TestStorage.OpenAsync(data);
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("DROP TABLE answered_numbers", transaction: tx);
        await db.ExecuteAsync("DELETE FROM schema_migrations WHERE version = @version", new { version }, tx);
        await tx.CommitAsync();
    }

    /// <summary>
    /// A migration is all or nothing: its version is recorded exactly when its table exists, and then the table holds
    /// what the stored calls say. Returns which version the kill left.
    /// </summary>
    public static async Task<string> AssertWholeAsync(string data)
    {
        var version = Target.Version;
        await using var db = await TestStorage.OpenAsync(data);
        var recorded = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE version = @version", new { version }) == 1;
        var table = await db.ExecuteScalarAsync<long>(TestStorage.IsPostgres
            ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'answered_numbers'"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'answered_numbers'") == 1;
        Assert.True(recorded == table, $"killed migration left version {version} {(recorded ? "recorded" : "unrecorded")} but its table {(table ? "there" : "missing")}");
        if (!table)
        {
            Assert.True(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations") == MigrationCount - 1, "another version is missing");
            return $"version {version} not applied, the others intact";
        }

        // Every number of an answered call, with the latest start of such a call: what "missed unreturned" relies on.
        var expected = await db.QueryAsync<(string, string, long)>(
            """
            SELECT c.account, p.value, MAX(c.started_at) FROM call_parties p JOIN calls c ON c.id = p.call_id
            WHERE p.role = 'party' AND c.outcome = 'answered' GROUP BY c.account, p.value ORDER BY 1, 2
            """);
        var filled = await db.QueryAsync<(string, string, long)>("SELECT account, value, last_started_at FROM answered_numbers ORDER BY 1, 2");
        Assert.Equal(expected.ToList(), filled.ToList());
        return $"version {version} complete";
    }
}
