using System.Diagnostics;
using Dapper;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Ingest;

namespace PbxHub.IntegrationTests.Crash;

/// <summary>
/// The campaign kills migrations at random moments, which on little data rarely fall inside the migration itself.
/// Here the kill lands there for certain: PostgreSQL lets the test hold a table the migration reads, so
/// <c>pbxhub migrate</c> stops half-way through its transaction (its table created, not yet filled) and is killed there.
/// </summary>
[Collection(nameof(KillCollection))]
public sealed class MigrationKillTests
{
    [PostgresFact]
    public async Task Migrate_KilledHalfWayThroughAMigration_LeavesThePreviousVersionWholeAndMigratesAfterwards()
    {
        var data = HubProcess.NewDataDirectory();
        var environment = ThreeProviders.Environment();
        await using (var hub = await HubProcess.StartAsync(data, environment))
        {
            foreach (var i in Enumerable.Range(0, 3))
            {
                await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound($"mk{i}", $"8916123456{i}", "74951234567", "10" + i, 1_700_000_000 + i));
            }

            await CrashChecks.WaitFoldedAsync(data);
            await hub.KillAsync();
        }

        await SchemaRollback.UndoAnsweredNumbersAsync(data);
        await using var holder = await TestStorage.OpenAsync(data);
        var hold = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("LOCK TABLE calls IN ACCESS EXCLUSIVE MODE", transaction: hold);
        using var migrate = HubProcess.Create(["migrate", "--data", data], environment);
        migrate.Start();
        var waiting = Stopwatch.StartNew();
        // The migration's transaction has created answered_numbers and waits to read the calls.
        while (await holder.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'calls'::regclass", transaction: hold) == 0)
        {
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(60) && !migrate.HasExited, "pbxhub migrate never reached the migration");
            await Task.Delay(20);
        }

        migrate.Kill();
        await migrate.WaitForExitAsync();
        await hold.RollbackAsync();

        Assert.Contains("intact", await SchemaRollback.AssertWholeAsync(data), StringComparison.Ordinal);
        var again = await HubProcess.RunAsync(["migrate", "--data", data], TimeSpan.FromSeconds(60), environment);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("complete", await SchemaRollback.AssertWholeAsync(data), StringComparison.Ordinal);
    }
}
