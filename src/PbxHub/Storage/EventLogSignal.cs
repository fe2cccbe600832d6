namespace PbxHub.Storage;

/// <summary>
/// Wakes the readers of the event log (the dispatcher, live streams) when a commit added events, so they
/// need not poll fast. Readers still poll slowly, for events another process or node wrote.
/// </summary>
internal sealed class EventLogSignal
{
    private TaskCompletionSource next = NewSource();

    /// <summary>Completes at the next pulse: take it before reading the log, so a pulse during the read is not missed.</summary>
    public Task NextPulse => Volatile.Read(ref next).Task;

    public void Pulse() => Interlocked.Exchange(ref next, NewSource()).TrySetResult();

    /// <summary>Completes when <paramref name="pulse"/> does, or after <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(Task pulse, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.WhenAny(pulse, Task.Delay(timeout, time, cts.Token));
        await cts.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
