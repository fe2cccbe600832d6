using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Storage;

namespace PbxHub.Recordings;

/// <summary>
/// Fetches queued recordings in the background, never in the way of ingest: claims the due ones, downloads, stores,
/// and records the outcome in the call's history (docs/recordings.md). Failures are retried on
/// <see cref="RecordingsOptions.Retries"/>; a node that dies mid-download leaves its claim to run out.
/// </summary>
internal sealed partial class RecordingFetcher(
    RecordingScout scout, RecordingQueue queue, RecordingDownloader downloader, IRecordingStore store, AccountDirectory accounts,
    IngestWriter writer, RecordingMetrics metrics, EventLogSignal signal, StorageFaults faults, IOptions<RecordingsOptions> options, TimeProvider time,
    ILogger<RecordingFetcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var pulse = signal.NextPulse;
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A database that is down is one episode in the log (StorageFaults), not a stack trace per round.
                if (!faults.Absorb(ex, "fetching recordings"))
                {
                    LogRoundFailed(logger, ex);
                }
            }

            try
            {
                await EventLogSignal.WaitAsync(pulse, o.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: queue new links, then fetch what is due; returns how many recordings it settled or rescheduled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        await scout.ScoutAsync(ct);
        var due = await queue.ClaimAsync(time.GetUtcNow(), o.MaxConcurrency * 4, o.ClaimFor, ct);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = o.MaxConcurrency, CancellationToken = ct }, FetchOneAsync);
        return due.Count;
    }

    private async ValueTask FetchOneAsync(DueRecording due, CancellationToken ct)
    {
        if (await accounts.FindAsync(due.Account, ct) is not { } account)
        {
            await queue.SettleAsync(due.CallId, RecordingStates.Failed, "the account was removed", due.Attempts, time.GetUtcNow(), ct);
            return;
        }

        if (due.StoreKey is not null && due.Sha256 is not null)
        {
            // Stored by an earlier attempt that stopped before the call's history said so.
            await KeptAsync(account, due, new Recording(
                RecordingStates.Kept, RecordingHistory.ApiPath(due.CallId), due.ContentType, due.Bytes, due.DurationSeconds, due.Sha256, null, null), ct);
            return;
        }

        var fetched = await downloader.FetchAsync(account, due.SourceUrl, ct);
        if (fetched is { Path: { } path, Audio: { } audio, Sha256: { } sha })
        {
            try
            {
                var key = RecordingKeys.For(account.Id, due.CallId, audio.ContentType);
                await store.PutAsync(key, path, audio.ContentType, ct);
                if (audio.ContentType != "audio/mpeg")
                {
                    // An MP3 encoded from an earlier file of the call (a changed link) must not be served for this one.
                    await store.DeleteAsync(RecordingKeys.For(account.Id, due.CallId, "audio/mpeg"), ct);
                }

                await queue.StoredAsync(due.CallId, key, audio.ContentType, fetched.Bytes, sha, audio.DurationSeconds, ct);
                metrics.Fetched(account.Id, fetched.Bytes);
                await KeptAsync(account, due, new Recording(
                    RecordingStates.Kept, RecordingHistory.ApiPath(due.CallId), audio.ContentType, fetched.Bytes, audio.DurationSeconds, sha, null, null), ct);
            }
            finally
            {
                File.Delete(path);
            }

            return;
        }

        await FailedAsync(account, due, fetched, ct);
    }

    private async Task KeptAsync(Account account, DueRecording due, Recording recording, CancellationToken ct)
    {
        var now = RawRequest.Stamp(time);
        var row = RecordingHistory.Row(account, due.CallKey, recording with { KeptAt = now }, now);
        await writer.WriteAsync(account, row, ct, RecordingHistory.Read(row.Request));
        await queue.SettleAsync(due.CallId, RecordingStates.Kept, null, due.Attempts + 1, now, ct);
        LogKept(logger, due.CallId, recording.Bytes ?? 0);
    }

    private async Task FailedAsync(Account account, DueRecording due, Fetched fetched, CancellationToken ct)
    {
        var attempts = due.Attempts + 1;
        var delays = options.Value.RetryDelays;
        var reason = fetched.Error ?? "unknown";
        metrics.Failed(account.Id, reason);
        if (!fetched.Final && attempts <= delays.Count)
        {
            var next = time.GetUtcNow() + delays[(int)attempts - 1];
            await queue.RetryAsync(due.CallId, reason, attempts, next, ct);
            LogRetry(logger, due.CallId, attempts, reason, next);
            return;
        }

        var now = RawRequest.Stamp(time);
        var failed = new Recording(RecordingStates.Failed, null, null, null, null, null, null, reason);
        var row = RecordingHistory.Row(account, due.CallKey, failed, now);
        await writer.WriteAsync(account, row, ct, RecordingHistory.Read(row.Request));
        await queue.SettleAsync(due.CallId, RecordingStates.Failed, reason, attempts, now, ct);
        LogFailed(logger, due.CallId, attempts, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept the recording of {CallId} ({Bytes} bytes)")]
    private static partial void LogKept(ILogger logger, string callId, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording of {CallId}: attempt {Attempt} failed ({Reason}); next at {Next}")]
    private static partial void LogRetry(ILogger logger, string callId, long attempt, string reason, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording of {CallId} failed after {Attempts} attempts: {Reason}")]
    private static partial void LogFailed(ILogger logger, string callId, long attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A round of fetching recordings failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception ex);
}
