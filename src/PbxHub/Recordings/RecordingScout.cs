using System.Text.Json;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Recordings;

/// <summary>
/// Finds the recording links the fold announced (<c>call.recording</c> events) by tailing the event log from a stored
/// cursor, and queues them. The fold itself is untouched: a link is queued at most a poll after it is stored, and
/// every node may scout at once (queueing the same link twice changes nothing).
/// </summary>
internal sealed class RecordingScout(IDeliveryStore events, RecordingQueue queue, TimeProvider time)
{
    private const int PageSize = 500;
    private static readonly string[] Types = [CallEventTypes.Recording];

    /// <summary>Queues the links announced since the cursor; returns how many events it read.</summary>
    public async Task<int> ScoutAsync(CancellationToken ct)
    {
        var cursor = await queue.CursorAsync(ct);
        // Everything up to the last position is committed (positions commit in order): a short page means the cursor
        // may jump there, so the next look does not read the same stretch of other events again.
        var last = await events.LastEventSeqAsync(ct);
        var page = await events.EventsAfterAsync(cursor, [], Types, PageSize, ct);
        var next = page.Count == PageSize ? page[^1].Seq : Math.Max(last, page.Count > 0 ? page[^1].Seq : cursor);
        if (next <= cursor)
        {
            return 0;
        }

        var links = new List<(string, string, string, string)>();
        foreach (var e in page)
        {
            using var json = JsonDocument.Parse(e.Json);
            var call = json.RootElement.GetProperty("call");
            if (call.GetProperty("recordingUrl").GetString() is { } url)
            {
                links.Add((e.CallId, e.Account, call.GetProperty("providerCallId").GetString()!, url));
            }
        }

        await queue.EnqueueAsync(links, next, time.GetUtcNow(), ct);
        return page.Count;
    }
}
