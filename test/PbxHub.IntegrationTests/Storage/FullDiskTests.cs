using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Fuzzing;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Security;
using PbxHub.Storage;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>
/// A hub whose SQLite file sits on a disk that fills up (a tmpfs of a few MiB, filled by another file) and is then
/// freed: hooks are refused in the provider's retry shape and stored when sent again, <c>/readyz</c> says the node
/// cannot store while reads go on, and the log tells of the fault once, not once per request. Filled while hooks keep
/// arriving, each is acknowledged and stored or refused for a retry, never acknowledged and lost.
/// </summary>
public sealed class FullDiskTests
{
    private static readonly string[] Providers = StorageFaultSteps.Providers;

    [SmallDiskFact]
    public async Task Hook_DiskFull_503RetryAfterInProviderShapeNotReadyLoggedOnceThenStoredWhenFreed()
    {
        await using var disk = await SmallDisk.MountAsync(sizeMiB: 16);
        var logs = new CapturedLogs();
        await using var hub = await HubServer.StartAsync(ThreeProviders.Settings(), logs.AddTo, dataDirectory: disk.Path);
        foreach (var provider in Providers)
        {
            using var first = await hub.Client.SendAsync(NetworkHub.Hook(provider, 0));
            await NetworkHub.AssertAcceptedAsync(provider, first);
        }

        // Folded into the journal before the disk fills (a read waits for what was acknowledged).
        using (var stored = await hub.Client.GetJsonAsync("/api/v1/calls?limit=100"))
        {
            Assert.Equal(3, stored.RootElement.GetProperty("items").GetArrayLength());
        }

        var filler = disk.Fill();
        await StorageFaultSteps.HooksRefusedForRetryAsync(hub, 20);

        using (var ready = await hub.Client.GetAsync("/readyz"))
        {
            (await HttpJson.AssertProblemAsync(ready, HttpStatusCode.ServiceUnavailable)).Dispose();
        }

        // What is stored can still be read.
        using (var before = await hub.Client.GetJsonAsync("/api/v1/calls?limit=100"))
        {
            Assert.Equal(3, before.RootElement.GetProperty("items").GetArrayLength());
        }

        var fault = Assert.Single(logs.Unhandled);
        Assert.StartsWith("Storage fault", fault.Message, StringComparison.Ordinal);
        using (var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) })
        {
            var metrics = await anonymous.GetStringAsync("/metrics");
            Assert.Contains(metrics.Split('\n'), l => l.StartsWith("pbxhub_http_refused_total{", StringComparison.Ordinal)
                && l.Contains("reason=\"storage_fault\"", StringComparison.Ordinal) && l.EndsWith(" 60", StringComparison.Ordinal));
        }

        File.Delete(filler);
        // With no traffic (a load balancer sent it elsewhere), the node says when it can store again.
        var waited = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            using var ready = await hub.Client.GetAsync("/readyz");
            status = ready.StatusCode;
        }
        while (status != HttpStatusCode.OK && waited.Elapsed < TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.OK, status);

        // The providers' retries.
        await StorageFaultSteps.RetriesStoredAndFaultOverAsync(hub, logs, 20, 63);
    }

    // In this class, not beside it: /metrics counts the refusals of every hub in the process, and the test above counts them.
    [SmallDiskFact]
    public async Task Hook_DiskFillsWhileHooksArrive_EachStoredOrRefusedForRetryAndStoringResumesWhenFreed()
    {
        await using var disk = await SmallDisk.MountAsync(sizeMiB: 16);
        var logs = new CapturedLogs();
        await using var hub = await HubServer.StartAsync(ThreeProviders.Settings(), logs.AddTo, dataDirectory: disk.Path);
        await using var hooks = HooksUnderFault.Start(hub, "disk-full");
        await Webhooks.WaitUntilAsync(() => hooks.Acknowledged >= 50, "hooks acknowledged before the disk fills");

        var filler = disk.Fill();
        // Counted by the hub, whatever it answered: writes of hooks failed for a while.
        var faults = hub.Services.GetRequiredService<StorageFaults>();
        await Webhooks.WaitUntilAsync(() => faults.FailuresAt("storing hooks") >= 20, "writes of hooks failing on the full disk");
        var acknowledgedBeforeFreed = hooks.Acknowledged;
        File.Delete(filler);
        await Webhooks.WaitUntilAsync(() => hooks.Acknowledged >= acknowledgedBeforeFreed + 50, "hooks acknowledged again once there is space", seconds: 15);

        await hooks.AssertStoredRefusedAndRecoveredAsync(logs);
    }
}
