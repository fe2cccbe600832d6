using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Ingest;

/// <summary>
/// The single writer of raw events. Requests that arrive together are committed in one transaction
/// (group commit): one disk flush serves the whole batch, and every request in it is answered only
/// after that flush. The calls the batch touched are folded in the same transaction.
/// </summary>
internal sealed partial class IngestWriter(
    IHubStore store, CallBuilder builder, IngestMetrics metrics, IOptions<IngestOptions> options, ILogger<IngestWriter> logger) : BackgroundService
{
    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Stores the row durably; completes when it is committed (or was already stored).</summary>
    public async Task<StoredRaw> WriteAsync(Account account, RawRow row, CancellationToken ct)
    {
        var pending = new Pending(account, row, new TaskCompletionSource<StoredRaw>(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(pending, ct);
        return await pending.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(options.Value.MaxBatchSize);
        // Drain what is queued even while stopping: those requests are waiting for their answer.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < options.Value.MaxBatchSize && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await WriteBatchAsync(batch);
            batch.Clear();
            if (stoppingToken.IsCancellationRequested && !queue.Reader.TryPeek(out _))
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var results = new StoredRaw[batch.Count];
        try
        {
            await using var session = await store.BeginAsync(CancellationToken.None);
            var touched = new Dictionary<(string, string), Account>();
            for (var i = 0; i < batch.Count; i++)
            {
                var (account, row, _) = batch[i];
                results[i] = await session.AppendRawAsync(row, CancellationToken.None);
                if (!results[i].Duplicate && row.CallKey is not null)
                {
                    touched[(account.Id, row.CallKey)] = account;
                }
            }

            foreach (var ((_, callKey), account) in touched)
            {
                await RebuildAsync(session, account, callKey);
            }

            await session.CommitAsync(CancellationToken.None);
            metrics.Committed(batch.Count, results.Count(r => r.Duplicate));
        }
        catch (Exception ex)
        {
            LogBatchFailed(logger, ex, batch.Count);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(results[i]);
        }
    }

    private async Task RebuildAsync(IWriteSession session, Account account, string callKey)
    {
        try
        {
            await builder.RebuildAsync(session, account, callKey, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not System.Data.Common.DbException)
        {
            // The raw events are what must be durable; a record that failed to fold is rebuilt by replay.
            LogFoldFailed(logger, ex, account.Id, callKey);
        }
    }

    private sealed record Pending(Account Account, RawRow Row, TaskCompletionSource<StoredRaw> Done);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest batch of {Count} requests failed; none was acknowledged")]
    private static partial void LogBatchFailed(ILogger logger, Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Folding call {CallKey} of account {Account} failed; its raw events are stored")]
    private static partial void LogFoldFailed(ILogger logger, Exception ex, string account, string callKey);
}
