using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Delivery;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>
/// A hub on a fake clock, and the points to wait for instead of sleeping: a test that asserts "nothing happened
/// (yet)" first waits until the component has looked as of the clock's moment and finished what it started.
/// </summary>
internal static class FakeClock
{
    public static FakeTimeProvider New() => new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    public static async Task<(FakeTimeProvider Time, HubServer Hub)> StartHubAsync(
        IDictionary<string, string>? settings = null, string? dataDirectory = null)
    {
        var time = New();
        var hub = await HubServer.StartAsync(settings, b => b.Services.AddSingleton<TimeProvider>(time), dataDirectory);
        return (time, hub);
    }

    /// <summary>
    /// Moves the hub's clock and wakes the dispatcher: one that ended a pass just before has not yet set its timer on
    /// the clock, and would set it from the moved time and sleep on.
    /// </summary>
    public static void Advance(this HubServer hub, FakeTimeProvider time, TimeSpan by)
    {
        time.Advance(by);
        hub.Services.GetRequiredService<DispatchPasses>().Wake.Pulse();
    }

    /// <summary>
    /// Waits until the webhook dispatcher has looked for due deliveries as of the hub's clock now, found none to
    /// start, and has nothing in flight: every attempt it will make until the clock moves has been made and recorded.
    /// </summary>
    public static async Task DispatcherIdleAsync(this HubServer hub)
    {
        var now = hub.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await hub.Services.GetRequiredService<DispatchPasses>().IdleAsOfAsync(now, patience.Token);
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested)
        {
            Assert.Fail($"the dispatcher did not become idle as of {now:O} within 30 s");
        }
    }
}
