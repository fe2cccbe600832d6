namespace PbxHub.Calls;

/// <summary>
/// How far call records have caught up with acknowledged raw events. Records are folded just after the
/// acknowledgement (off its path); every read of records waits here for what was acknowledged before it asked
/// (<see cref="FreshCallQueries"/>, the only <see cref="Storage.ICallQueries"/> the hub hands out), so no reader —
/// API, dashboard, export, sweeper — shows a record older than an event the provider was told we have.
/// </summary>
internal sealed class FreshReads
{
    private readonly Lock gate = new();
    private long acknowledged;
    private long folded;
    private TaskCompletionSource advanced = NewSignal();

    private long Acknowledged => Interlocked.Read(ref acknowledged);

    public void Acknowledge(long seq)
    {
        lock (gate)
        {
            acknowledged = Math.Max(acknowledged, seq);
        }
    }

    public void Fold(long seq)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            folded = Math.Max(folded, seq);
            acknowledged = Math.Max(acknowledged, seq);
            signal = advanced;
            advanced = NewSignal();
        }

        signal.TrySetResult();
    }

    /// <summary>Waits (at most <paramref name="patience"/>) until what is acknowledged now is folded.</summary>
    public async Task CatchUpAsync(TimeSpan patience, CancellationToken ct)
    {
        var target = Acknowledged;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(patience);
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (folded >= target)
                {
                    return;
                }

                next = advanced.Task;
            }

            try
            {
                await next.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return; // Serve what there is rather than fail the read.
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
