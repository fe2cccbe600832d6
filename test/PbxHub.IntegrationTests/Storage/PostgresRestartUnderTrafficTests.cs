using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Fuzzing;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Storage;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>
/// PostgreSQL stopped and started again while hooks keep arriving, some of them in flight at each moment: each is
/// acknowledged and stored, or refused with the provider's retry answer; the same hub stores again by itself.
/// </summary>
public sealed class PostgresRestartUnderTrafficTests
{
    [PostgresFact]
    public async Task Hook_PostgresStoppedAndStartedWhileHooksArrive_EachStoredOrRefusedForRetryAndStoringResumesWithoutRestart()
    {
        await using var postgres = await OwnPostgres.StartAsync();
        var logs = new CapturedLogs();
        await using var hub = await PostgresOutageTests.StartHubAsync(postgres, logs);
        await using var hooks = HooksUnderFault.Start(hub, "pg-restart");
        await Webhooks.WaitUntilAsync(() => hooks.Acknowledged >= 50, "hooks acknowledged before the stop");

        await postgres.StopAsync();
        // Counted by the hub, whatever it answered: writes of hooks failed for a while.
        var faults = hub.Services.GetRequiredService<StorageFaults>();
        await Webhooks.WaitUntilAsync(() => faults.FailuresAt("storing hooks") >= 20, "writes of hooks failing while PostgreSQL is down");
        var acknowledgedBeforeStart = hooks.Acknowledged;
        await postgres.StartAgainAsync();
        // Within seconds, with no restart of the hub: its broken connections are replaced as hooks keep coming.
        await Webhooks.WaitUntilAsync(() => hooks.Acknowledged >= acknowledgedBeforeStart + 50, "hooks acknowledged again once PostgreSQL is back", seconds: 15);

        await hooks.AssertStoredRefusedAndRecoveredAsync(logs);
        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Storage fault over", StringComparison.Ordinal));
    }
}
