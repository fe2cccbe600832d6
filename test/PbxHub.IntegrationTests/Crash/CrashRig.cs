using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Crash;

/// <summary>
/// What a crash campaign runs against: one hub data folder (SQLite file or PostgreSQL database) served by a real
/// <c>pbxhub serve</c> that is killed and started again, behind a balancer that records every request it
/// acknowledged, and a subscriber receiving the signed webhooks of everything, fast or slowly as a phase needs.
/// </summary>
internal sealed class CrashRig : IAsyncDisposable
{
    private HubProcess? hub;

    private CrashRig(LoadBalancer balancer, Subscriber subscriber)
    {
        Balancer = balancer;
        Subscriber = subscriber;
        subscriber.Answer = w =>
        {
            Arrivals.Enqueue(w.Id);
            return (200, null, SubscriberDelay);
        };
    }

    public string Data { get; } = HubProcess.NewDataDirectory();

    /// <summary>
    /// The three accounts; a subscriber gets 3 s to answer, so a killed node's claims on PostgreSQL run out after 6 s
    /// (and a slow answer of a phase stays well inside it: a timeout would put the next try a minute away).
    /// </summary>
    public Dictionary<string, string> Environment { get; } = WithDeliveryTimeout(ThreeProviders.Environment());

    public LoadBalancer Balancer { get; }

    public Subscriber Subscriber { get; }

    /// <summary>Every webhook id in the order its request reached the subscriber (answered or not yet).</summary>
    public ConcurrentQueue<string> Arrivals { get; } = new();

    /// <summary>How long the subscriber takes to answer each webhook from now on.</summary>
    public TimeSpan SubscriberDelay { get; set; }

    public string SubscriptionSecret { get; private set; } = "";

    public HubProcess Hub => hub ?? throw new InvalidOperationException("no hub started");

    /// <summary>How long the last start took, from launch to healthy: about what any verb's process needs to get going.</summary>
    public TimeSpan LastStartTook { get; private set; }

    public static async Task<CrashRig> StartAsync()
    {
        var rig = new CrashRig(await LoadBalancer.StartAsync(), await Subscriber.StartAsync());
        await rig.StartHubAsync();
        (_, rig.SubscriptionSecret) = await rig.Hub.Client.SubscribeAsync(rig.Subscriber.Url);
        return rig;
    }

    /// <summary>Starts <c>pbxhub serve</c> on the data (migrating it) and points the balancer at it.</summary>
    public async Task StartHubAsync()
    {
        if (hub is not null)
        {
            await hub.DisposeAsync();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        hub = await HubProcess.StartAsync(Data, Environment, startTimeout: TimeSpan.FromSeconds(60));
        LastStartTook = clock.Elapsed;
        Balancer.Nodes = [hub.BaseUrl];
    }

    /// <summary>SIGKILL; the balancer keeps the dead address, so requests meanwhile fail as a provider would see them.</summary>
    public Task KillHubAsync() => Hub.KillAsync();

    /// <summary>Webhook ids with a request that reached the subscriber and has not been answered.</summary>
    public IReadOnlyList<string> DeliveriesInFlight()
    {
        var answered = Subscriber.Received.CountBy(r => r.Id).ToDictionary();
        return Arrivals.CountBy(id => id).Where(a => a.Value > answered.GetValueOrDefault(a.Key)).Select(a => a.Key).ToList();
    }

    /// <summary>
    /// What <c>pbxhub replay</c> runs (the same host and <see cref="PbxHub.Calls.Replayer"/>), in this process: a clean replay
    /// after every kill without paying a process start each time. The phase that kills replays runs the real verb.
    /// </summary>
    public async Task<PbxHub.Calls.ReplaySummary> ReplayAsync()
    {
        var settings = Environment.Concat(TestStorage.EnvironmentFor(Data))
            .Select(kv => $"--{kv.Key.Replace("__", ":", StringComparison.Ordinal)}={kv.Value}")
            .Append("--Logging:LogLevel:Default=Warning");
        await using var app = PbxHub.Cli.HubHost.Build([.. settings], dataDirectory: Data);
        await app.Services.GetRequiredService<PbxHub.Storage.HubStore>().MigrateAsync(CancellationToken.None);
        var summary = await app.Services.GetRequiredService<PbxHub.Calls.Replayer>().ReplayAsync(null, CancellationToken.None);
        // Nothing of this process stays attached to the file the hub and the phases go on using.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return summary;
    }

    public async ValueTask DisposeAsync()
    {
        if (hub is not null)
        {
            await hub.DisposeAsync();
        }

        await Balancer.DisposeAsync();
        await Subscriber.DisposeAsync();
    }

    private static Dictionary<string, string> WithDeliveryTimeout(Dictionary<string, string> environment)
    {
        environment["PbxHub__Delivery__RequestTimeout"] = "00:00:03";
        return environment;
    }
}
