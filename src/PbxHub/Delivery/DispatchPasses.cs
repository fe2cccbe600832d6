using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>
/// The dispatcher's passes seen from outside: a caller can ask for a pass and wait until the dispatcher has
/// looked at the outbox as of a given moment and has nothing left in flight. Tests on a fake clock wait for
/// that instead of sleeping, so "nothing was sent before its time" is proven rather than hoped for.
/// </summary>
internal sealed class DispatchPasses
{
    private readonly Lock gate = new();
    private readonly List<(DateTimeOffset AsOf, TaskCompletionSource Done)> waiters = [];

    /// <summary>Pulsed to wake the dispatcher: an attempt finished, or someone asked for a pass.</summary>
    public EventLogSignal Wake { get; } = new();

    /// <summary>
    /// Completes after a pass that read the clock at <paramref name="asOf"/> or later, started no delivery, and
    /// ended with nothing in flight and nothing waiting to be recorded.
    /// </summary>
    public Task IdleAsOfAsync(DateTimeOffset asOf, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            waiters.Add((asOf, done));
        }

        Wake.Pulse();
        return done.Task.WaitAsync(ct);
    }

    /// <summary>Called by the dispatcher at the end of every pass.</summary>
    public void Completed(DateTimeOffset asOf, bool idle)
    {
        if (!idle)
        {
            return;
        }

        lock (gate)
        {
            foreach (var waiter in waiters.Where(w => w.AsOf <= asOf))
            {
                waiter.Done.TrySetResult();
            }

            waiters.RemoveAll(w => w.AsOf <= asOf);
        }
    }
}
