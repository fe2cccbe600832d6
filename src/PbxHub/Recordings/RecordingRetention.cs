using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Retention;
using PbxHub.Storage;

namespace PbxHub.Recordings;

/// <summary>
/// Deletes kept recordings <c>PbxHub:Retention:Recordings</c> days after they were kept: the file or object itself,
/// and the call's history then says <c>deleted</c> (docs/recordings.md). One node at a time.
/// </summary>
internal sealed partial class RecordingRetention(
    RecordingQueue queue, IRecordingStore store, IngestWriter writer, AccountDirectory accounts, HubStore hub,
    StorageFaults faults, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RecordingRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Recordings is null)
        {
            return;
        }

        await hub.RunEveryAsync("recording-retention", options.Value.Interval, time, faults, "deleting old recordings", async ct =>
        {
            if (await PruneAsync(ct) is > 0 and var deleted)
            {
                LogDeleted(logger, deleted);
            }
        }, ex => LogFailed(logger, ex), stoppingToken);
    }

    /// <summary>Deletes what is past its time; returns how many recordings.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        if (options.Value.Recordings is not { } days)
        {
            return 0;
        }

        var deleted = 0;
        while (true)
        {
            var old = await queue.KeptBeforeAsync(time.GetUtcNow().AddDays(-days), options.Value.BatchSize, ct);
            foreach (var r in old)
            {
                if (r.StoreKey is not null)
                {
                    await store.DeleteAsync(r.StoreKey, ct);
                    // And the MP3 encoded from a kept WAV on demand, cached beside it (Mp3Transcoder).
                    await store.DeleteAsync(RecordingKeys.For(r.Account, r.CallId, "audio/mpeg"), ct);
                }

                if (await accounts.FindAsync(r.Account, ct) is { } account)
                {
                    var now = RawRequest.Stamp(time);
                    var gone = new Recording(RecordingStates.Deleted, null, null, null, null, r.Sha256, null, $"deleted after {days} days (PbxHub:Retention:Recordings)");
                    var row = RecordingHistory.Row(account, r.CallKey, gone, now);
                    await writer.WriteAsync(account, row, ct, RecordingHistory.Read(row.Request));
                }

                await queue.DeletedAsync(r.CallId, ct);
                deleted++;
            }

            if (old.Count < options.Value.BatchSize)
            {
                return deleted;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} recordings")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting old recordings failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
