using System.Diagnostics;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Crash;

internal enum CrashPhase
{
    MidBatch,
    MidDelivery,
    MidMigration,
    MidReplay,
}

/// <summary>What a phase killed: whether its process was still running when the SIGKILL came, and the webhooks then in flight.</summary>
internal sealed record KillReport(CrashPhase Phase, bool Killed, string What, IReadOnlyList<string> DeliveriesInFlight);

/// <summary>
/// The moments a campaign kills at, each drawn from the campaign's random source: the hub while a batch of hooks is
/// arriving, the hub while webhooks are on their way to a slow subscriber, <c>pbxhub migrate</c> or a starting
/// <c>pbxhub serve</c> on a database one version behind, and <c>pbxhub replay</c>.
/// </summary>
internal sealed class CrashPhases(CrashRig rig, CrashTraffic traffic, Random random)
{
    /// <summary>How long each verb's process lasted the last time it ended before its kill: the next is killed within about that.</summary>
    private readonly Dictionary<string, TimeSpan> lifetimes = [];

    /// <summary>How long the work of the last whole replay took (in the checks).</summary>
    public TimeSpan ReplayTakes { get; set; } = TimeSpan.FromSeconds(1);

    public Task<KillReport> RunAsync(CrashPhase phase) => phase switch
    {
        CrashPhase.MidBatch => MidBatchAsync(),
        CrashPhase.MidDelivery => MidDeliveryAsync(),
        CrashPhase.MidMigration => MidMigrationAsync(),
        _ => MidReplayAsync(),
    };

    private async Task<KillReport> MidBatchAsync()
    {
        var ackedBefore = rig.Balancer.Acked.Count;
        var (requests, sending) = traffic.Send(random.Next(), CancellationToken.None);
        var target = (int)(requests * (0.05 + (0.8 * random.NextDouble())));
        await WaitAsync(() => rig.Balancer.Acked.Count - ackedBefore >= target || sending.IsCompleted, TimeSpan.FromSeconds(60));
        var inFlight = !sending.IsCompleted;
        var acked = rig.Balancer.Acked.Count - ackedBefore;
        await rig.KillHubAsync();
        await rig.StartHubAsync();
        await sending;
        return new KillReport(CrashPhase.MidBatch, inFlight, $"hub killed after {acked} of {requests} requests were acknowledged", []);
    }

    private async Task<KillReport> MidDeliveryAsync()
    {
        rig.SubscriberDelay = TimeSpan.FromMilliseconds(random.Next(300, 600));
        var (_, sending) = traffic.Send(random.Next(), CancellationToken.None);
        await Task.Delay(random.Next(500, 2500));
        // Usually at once: the batch's first events are on their way by now.
        await WaitAsync(() => rig.DeliveriesInFlight().Count > 0, TimeSpan.FromSeconds(10));
        await rig.KillHubAsync();
        var cutOff = rig.DeliveriesInFlight();
        rig.SubscriberDelay = TimeSpan.Zero;
        await rig.StartHubAsync();
        await sending;
        return new KillReport(CrashPhase.MidDelivery, cutOff.Count > 0, $"hub killed with {cutOff.Count} webhooks in flight", cutOff);
    }

    private async Task<KillReport> MidMigrationAsync()
    {
        await rig.KillHubAsync();
        await SchemaRollback.UndoAnsweredNumbersAsync(rig.Data);
        var serve = random.Next(2) == 0;
        var verb = serve ? "serve" : "migrate";
        string[] args = serve ? ["serve", "--data", rig.Data, "--urls", $"http://127.0.0.1:{HubProcess.FreePort()}"] : ["migrate", "--data", rig.Data];
        // Both migrate at the end of their start-up; a serve takes about as long as the hub's last start to get there.
        var after = (serve ? rig.LastStartTook : lifetimes.GetValueOrDefault(verb, rig.LastStartTook)) * (0.3 + (0.8 * random.NextDouble()));
        var killed = await RunAndKillAsync(args, after);
        var left = await SchemaRollback.AssertWholeAsync(rig.Data);
        await rig.StartHubAsync();
        return new KillReport(CrashPhase.MidMigration, killed, $"{verb} {(killed ? "killed" : "had ended")} after {after.TotalMilliseconds:F0} ms, left {left}", []);
    }

    private async Task<KillReport> MidReplayAsync()
    {
        await CrashChecks.WaitFoldedAsync(rig.Data);
        var before = await ThreeProviders.AllCallsAsync(rig.Hub.Client);
        var after = lifetimes.GetValueOrDefault("replay", rig.LastStartTook + ReplayTakes) * (0.3 + (0.8 * random.NextDouble()));
        var killed = await RunAndKillAsync(["replay", "--data", rig.Data], after);
        // A replay is one transaction: killed, it leaves the records as they were; finished, it rebuilt the same.
        Assert.Equal(before, await ThreeProviders.AllCallsAsync(rig.Hub.Client));
        return new KillReport(CrashPhase.MidReplay, killed, $"replay {(killed ? "killed" : "had ended")} after {after.TotalMilliseconds:F0} ms", []);
    }

    /// <summary>Runs a verb and kills it after <paramref name="after"/>; false when it had ended by then (it must have succeeded).</summary>
    private async Task<bool> RunAndKillAsync(IEnumerable<string> args, TimeSpan after)
    {
        using var process = HubProcess.Create(args, rig.Environment);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        try
        {
            using var until = new CancellationTokenSource(after);
            await process.WaitForExitAsync(until.Token);
            lifetimes[args.First()] = clock.Elapsed;
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // It ended just now.
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var killed = process.ExitCode == 128 + 9;
        Assert.True(killed || process.ExitCode == 0, $"pbxhub {string.Join(' ', args)} failed with {process.ExitCode}:\n{string.Join('\n', output)}");
        return killed;
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > patience)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
