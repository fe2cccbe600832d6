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
    private readonly ConcurrentQueue<long> recorded = new();
    private Task writing = Task.CompletedTask;

    /// <summary>Nothing waiting to be written and no commit under way.</summary>
    public bool IsIdle => finished.IsEmpty && writing.IsCompleted;

    public void Add(AttemptResult result) => finished.Enqueue(result);

    /// <summary>
    /// Deliveries whose attempts have been committed since the last call. Taken by the dispatcher before it reads the
    /// outbox, so a read that still shows one of them pending cannot have started before its commit.
    /// </summary>
    public List<long> TakeRecorded()
    {
        var ids = new List<long>();
        while (recorded.TryDequeue(out var id))
        {
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>Starts a group commit of what finished, unless one is under way; <paramref name="committed"/> runs after it.</summary>
    public void Flush(Action committed)
    {
        if (writing.IsCompleted && !finished.IsEmpty)
        {
            writing = WriteAsync(committed, CancellationToken.None);
        }
    }

    /// <summary>On stopping: what finished is still worth keeping; what did not is sent again after a restart.</summary>
    public async Task DrainAsync()
    {
        await writing;
        await WriteAsync(() => { }, CancellationToken.None);
    }

    private async Task WriteAsync(Action committed, CancellationToken ct)
    {
        await Task.Yield();
        var batch = new List<AttemptResult>();
        while (finished.TryDequeue(out var result))
        {
            batch.Add(result);
        }

        if (batch.Count == 0)
        {
            return;
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

            return;
        }

        foreach (var result in batch)
        {
            recorded.Enqueue(result.Delivery.Id);
        }

        committed();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} webhook attempts could not be recorded; trying again shortly")]
    private static partial void LogRecordFailed(ILogger logger, Exception ex, int count);
}
