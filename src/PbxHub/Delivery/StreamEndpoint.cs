using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>
/// <c>GET /api/v1/stream</c>: Server-Sent Events read from the stored event log, so a client resuming with
/// <c>Last-Event-ID</c> gets exactly what it missed. Each client reads the log at its own pace in pages,
/// so memory does not grow with a slow client; one that stops taking data is dropped.
/// </summary>
internal static partial class StreamEndpoint
{
    private const int PageSize = 200;

    public static RouteGroupBuilder MapStream(this RouteGroupBuilder api)
    {
        api.MapGet("/stream", StreamAsync).WithTags("Events").WithName("StreamEvents")
            .WithSummary("Server-Sent Events of normalised events; filters account, type; resumes from Last-Event-ID.")
            .WithDescription("Each event's data is a CallEvent (docs/events.md, \"The live stream\").")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream").ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task StreamAsync(
        HttpContext http, IDeliveryStore store, EventLogSignal signal, TimeProvider time, IOptions<DeliveryOptions> options,
        StorageFaults faults, ILoggerFactory loggers, CancellationToken ct)
    {
        var query = http.Request.Query;
        var accounts = query["account"].Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).ToList();
        var types = query["type"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        var resumeFrom = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? query["lastEventId"].FirstOrDefault();
        long position;
        if (string.IsNullOrEmpty(resumeFrom))
        {
            position = await store.LastEventSeqAsync(ct);
        }
        else if (!long.TryParse(resumeFrom, NumberStyles.None, CultureInfo.InvariantCulture, out position))
        {
            await Results.Problem(statusCode: 400, title: "Invalid Last-Event-ID", detail: $"'{resumeFrom}' is not an event position sent by this stream.").ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var o = options.Value;
        if (!await WriteAsync(http, "retry: 2000\n\n", o, time, loggers))
        {
            return;
        }

        var lastWrite = time.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            var pulse = signal.NextPulse;
            var page = await NextPageAsync(store, faults, position, accounts, types, ct);
            if (page.Count > 0)
            {
                var text = new StringBuilder();
                foreach (var e in page)
                {
                    text.Append(CultureInfo.InvariantCulture, $"id: {e.Seq}\nevent: {e.Type}\ndata: {e.Json}\n\n");
                }

                if (!await WriteAsync(http, text.ToString(), o, time, loggers))
                {
                    return;
                }

                lastWrite = time.GetTimestamp();
                position = page[^1].Seq;
                if (page.Count == PageSize)
                {
                    continue;
                }
            }

            try
            {
                // Woken by this node's commits; the poll finds what other nodes stored.
                await EventLogSignal.WaitAsync(pulse, o.StreamPollInterval < o.StreamHeartbeat ? o.StreamPollInterval : o.StreamHeartbeat, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (time.GetElapsedTime(lastWrite) >= o.StreamHeartbeat)
            {
                if (!await WriteAsync(http, ": heartbeat\n\n", o, time, loggers))
                {
                    return;
                }

                lastWrite = time.GetTimestamp();
            }
        }
    }

    /// <summary>
    /// The events after <paramref name="position"/>; none while the database fails, so the client keeps its connection
    /// and its place (heartbeats go on) and gets the events once it answers, and the log has one line for the outage.
    /// </summary>
    private static async Task<IReadOnlyList<StoredEvent>> NextPageAsync(
        IDeliveryStore store, StorageFaults faults, long position, List<string> accounts, List<string> types, CancellationToken ct)
    {
        try
        {
            return await store.EventsAfterAsync(position, accounts, types, PageSize, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && faults.Absorb(ex, "live stream"))
        {
            return [];
        }
    }

    /// <summary>Writes and flushes; false (and the connection aborted) when the client does not take it in time.</summary>
    private static async Task<bool> WriteAsync(HttpContext http, string text, DeliveryOptions o, TimeProvider time, ILoggerFactory loggers)
    {
        using var timeout = new CancellationTokenSource(o.StreamWriteTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, http.RequestAborted);
        try
        {
            await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), linked.Token);
            await http.Response.Body.FlushAsync(linked.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Too slow, or gone: either way this client gets nothing more.
            if (timeout.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
            {
                LogSlowClientDropped(loggers.CreateLogger(typeof(StreamEndpoint).FullName!), http.Connection.RemoteIpAddress?.ToString());
            }

            http.Abort();
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live stream client {Client} dropped: it did not take events in time")]
    private static partial void LogSlowClientDropped(ILogger logger, string? client);
}
