namespace PbxHub.Calls;

/// <summary>
/// How far call records have caught up with acknowledged raw events. Records are folded just after
/// the acknowledgement (off its path); readers wait here for what was acknowledged before they asked,
/// so the API never shows a record older than an event the provider was told we have.
/// </summary>
internal sealed class FoldProgress
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
