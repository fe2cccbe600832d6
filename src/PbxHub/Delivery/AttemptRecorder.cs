using System.Collections.Concurrent;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>
/// Writes finished attempts in group commits beside the sending: one durable transaction for everything that finished
/// since the last one, one at a time, so a subscriber's next request never waits for the database's write lock or its
/// flush (docs/webhooks.md, "How fast deliveries go"). A delivery stays the dispatcher's (never offered again) until
/// its attempt is written; the next event of its call is offered only then, so the order per call holds.
/// </summary>
internal sealed partial class AttemptRecorder(IDeliveryStore deliveries, TimeProvider time, StorageFaults faults, ILogger logger)
{
    private readonly ConcurrentQueue<AttemptResult> finished = new();
    private readonly ConcurrentQueue<KeyValuePair<long, int>> recorded = new();
    private Task writing = Task.CompletedTask;

    /// <summary>
    /// 1 from the start of a commit until it is over, cleared before it wakes the dispatcher: the task itself completes
    /// only after that wake-up, so a pass it woke could find the commit still under way and sleep on (no other wake-up
    /// comes: on a fake clock never, on a real one a poll interval later).
    /// </summary>
    private int committing;

    /// <summary>Nothing waiting to be written and no commit under way.</summary>
    public bool IsIdle => finished.IsEmpty && Volatile.Read(ref committing) == 0;

    public void Add(AttemptResult result) => finished.Enqueue(result);

    /// <summary>
    /// Deliveries whose attempts have been committed since the last call, with the attempt's number. Taken by the
    /// dispatcher before it reads the outbox, so a read that still shows one of them pending cannot have started before
    /// its commit.
    /// </summary>
    public List<KeyValuePair<long, int>> TakeRecorded()
    {
        var ids = new List<KeyValuePair<long, int>>();
        while (recorded.TryDequeue(out var id))
        {
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>Starts a group commit of what finished, unless one is under way; <paramref name="committed"/> runs after it.</summary>
    public void Flush(Action committed)
    {
        if (!finished.IsEmpty && Interlocked.CompareExchange(ref committing, 1, 0) == 0)
        {
            writing = CommitAsync(committed);
        }
    }

    /// <summary>On stopping: what finished is still worth keeping; what did not is sent again after a restart.</summary>
    public async Task DrainAsync()
    {
        await writing;
        await WriteAsync(CancellationToken.None);
    }

    private async Task CommitAsync(Action committed)
    {
        var stored = false;
        try
        {
            await Task.Yield();
            stored = await WriteAsync(CancellationToken.None);
        }
        finally
        {
            Volatile.Write(ref committing, 0);
        }

        // A failed commit wakes nobody: its attempts are written again after a poll interval, not in a busy loop.
        if (stored)
        {
            committed();
        }
    }

    /// <returns>Whether what finished was stored (or nothing had).</returns>
    private async Task<bool> WriteAsync(CancellationToken ct)
    {
        var batch = new List<AttemptResult>();
        while (finished.TryDequeue(out var result))
        {
            batch.Add(result);
        }

        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            await deliveries.RecordAsync(batch, time.GetUtcNow(), ct);
        }
        catch (Exception ex)
        {
            // Not stored: kept (and their deliveries kept back, so none is sent twice) for the next commit.
            foreach (var result in batch)
            {
                finished.Enqueue(result);
            }

            if (!faults.Absorb(ex, "recording webhook attempts"))
            {
                LogRecordFailed(logger, ex, batch.Count);
            }

            return false;
        }

        foreach (var result in batch)
        {
            recorded.Enqueue(new(result.Delivery.Id, result.Attempt.Attempt));
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} webhook attempts could not be recorded; trying again shortly")]
    private static partial void LogRecordFailed(ILogger logger, Exception ex, int count);
}
