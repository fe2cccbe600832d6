using Dapper;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>Nodes of a cluster start together: each migrates the shared database before serving.</summary>
public sealed class ConcurrentMigrationTests
{
    [Fact]
    public async Task Migrate_ThreeProcessesAtOnce_AllSucceedAndEachVersionIsAppliedOnce()
    {
        var data = HubProcess.NewDataDirectory();
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => HubProcess.RunAsync(["migrate", "--data", data], TimeSpan.FromSeconds(60))));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        await using var db = await TestStorage.OpenAsync(data);
        var versions = (await db.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(versions.Distinct(), versions);
        Assert.NotEmpty(versions);
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }
}
