using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>
/// Sends due deliveries from the outbox. Each call's deliveries go one at a time in event order (the store
/// only offers the earliest pending one of a call), calls go in parallel, and the outcome of every attempt
/// is stored before the next event of its call is offered. A request's slot is free again as soon as its answer
/// came; the outcomes are written in group commits beside the sending (<see cref="AttemptRecorder"/>). Ingest never
/// waits for any of this.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IDeliveryStore deliveries, ISubscriptionStore subscriptions, WebhookSender sender, IEnumerable<IOutboxTarget> targets, EventLogSignal eventLog,
    TimeProvider time, IOptions<DeliveryOptions> options, StorageFaults faults, Telemetry.FoldTraces foldTraces,
    DispatchPasses passes, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>
    /// Attempts sent but not yet written, at most: past that a stalled database stops the sending rather than let
    /// every pass read past an ever longer list of deliveries it already holds.
    /// </summary>
    private const int MaxUnrecorded = 1024;

    /// <summary>Requests in flight, by delivery: their subscription.</summary>
    private readonly ConcurrentDictionary<long, string> sending = new();

    /// <summary>Deliveries this node took and whose attempt is not written yet (those sending among them): the attempt's number.</summary>
    private readonly ConcurrentDictionary<long, int> held = new();
    /// <summary>The attempts started, until a pass sees them finished.</summary>
    private readonly ConcurrentDictionary<long, Task> running = new();
    private readonly EventLogSignal wake = passes.Wake;
    private readonly AttemptRecorder recorder = new(deliveries, time, faults, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await DispatchAsync(options.Value, stoppingToken);
        }
        finally
        {
            // However the loop ended, nothing it started may outlive it (a connector writes its state while sending):
            // the database is closed after the dispatcher. The attempts are cancelled by the same token.
            await Task.WhenAll(running.Values);
            await recorder.DrainAsync();
        }
    }

    private async Task DispatchAsync(DeliveryOptions o, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var pulse = Task.WhenAny(eventLog.NextPulse, wake.NextPulse);
            try
            {
                foreach (var attempt in recorder.TakeRecorded())
                {
                    // Only that attempt's hold: the delivery may be out again already (below), under a later number.
                    held.TryRemove(attempt);
                }

                foreach (var (id, task) in running.Where(r => r.Value.IsCompleted))
                {
                    running.TryRemove(id, out _);
                }

                recorder.Flush(wake.Pulse);
                var now = time.GetUtcNow();
                var started = await StartDueAsync(o, now, stoppingToken);
                passes.Completed(now, started == 0 && held.IsEmpty && recorder.IsIdle);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (!faults.Absorb(ex, "dispatching webhooks"))
                {
                    LogDispatchFailed(logger, ex);
                }
            }

            try
            {
                await EventLogSignal.WaitAsync(pulse, o.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <returns>How many deliveries this pass started.</returns>
    private async Task<int> StartDueAsync(DeliveryOptions o, DateTimeOffset now, CancellationToken ct)
    {
        var free = o.MaxConcurrency - sending.Count;
        if (free <= 0 || held.Count >= MaxUnrecorded)
        {
            return 0;
        }

        // As many as could ever be in flight, not just the free slots: the earliest due may be a busy subscriber's, and
        // the others' must not wait behind them. A claim outlives the longest attempt, so only a node that died leaves
        // one to run out.
        var due = await deliveries.DueAsync(now, o.MaxConcurrency, o.MaxConcurrencyPerSubscription, o.RequestTimeout * 2, held.Keys.ToList(), ct);
        if (due.Count == 0)
        {
            return 0;
        }

        // One whose secrets cannot be decrypted is left out: its deliveries wait, unsent rather than unsigned.
        var byId = (await subscriptions.ListAsync(ct)).Where(s => s.SecretsProblem is null).ToDictionary(s => s.Id);
        var events = (await deliveries.EventsAsync(due.Select(d => d.EventSeq).Distinct().ToList(), ct)).ToDictionary(e => e.Seq);
        var notStarted = new List<long>();
        foreach (var delivery in due)
        {
            if (held.TryGetValue(delivery.Id, out var sentAttempt) && delivery.Attempts >= sentAttempt)
            {
                // Its attempt was written after this pass took the recorded ones, and the row just claimed shows it: a
                // recover or resend left it pending. Sent again now, rather than once this claim has run out.
                held.TryRemove(new(delivery.Id, sentAttempt));
            }

            var perSubscription = sending.Values.Count(s => s == delivery.SubscriptionId);
            if (sending.Count >= o.MaxConcurrency || perSubscription >= o.MaxConcurrencyPerSubscription
                || !byId.TryGetValue(delivery.SubscriptionId, out var subscription) || !events.TryGetValue(delivery.EventSeq, out var stored)
                || !held.TryAdd(delivery.Id, delivery.Attempts + 1))
            {
                notStarted.Add(delivery.Id);
                continue;
            }

            sending[delivery.Id] = delivery.SubscriptionId;
            running[delivery.Id] = Task.Run(() => DeliverAsync(subscription, delivery, stored, ct), CancellationToken.None);
        }

        // One still held is out (its claim ran out while it was sent, on a clock a test moves): its claim keeps other nodes off it.
        await deliveries.ReleaseAsync(notStarted.Where(id => !held.ContainsKey(id)).ToList(), ct);
        return due.Count - notStarted.Count;
    }

    private async Task DeliverAsync(Subscription subscription, DueDelivery delivery, StoredEvent stored, CancellationToken ct)
    {
        try
        {
            using var span = Telemetry.HubTracing.StartLinked(Telemetry.HubTracing.Deliver, [foldTraces.FoldOf(stored.CallId)]);
            span?.SetTag("pbxhub.subscription", subscription.Id).SetTag("pbxhub.event_id", stored.Id).SetTag("pbxhub.event_type", stored.Type)
                .SetTag("pbxhub.attempt", delivery.Attempts + 1);
            // A CRM connector owns its subscription row: the same outbox, another way of sending (docs/connectors.md).
            var sent = targets.FirstOrDefault(t => t.Handles(subscription)) is { } target
                ? await target.SendAsync(subscription, stored, ct)
                : await sender.SendAsync(subscription, stored.Id, stored.Json, ct);
            span?.SetTag("http.response.status_code", sent.StatusCode);
            recorder.Add(AttemptJudge.Judge(subscription, delivery, sent, options.Value));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            held.TryRemove(delivery.Id, out _);
        }
        catch (Exception ex)
        {
            // Nothing to write: still pending in the outbox, it is offered again.
            LogSendFailed(logger, ex, delivery.Id);
            held.TryRemove(delivery.Id, out _);
        }
        finally
        {
            sending.TryRemove(delivery.Id, out _);
            wake.Pulse();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dispatch failed; trying again shortly")]
    private static partial void LogDispatchFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} could not be attempted")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, long deliveryId);
}
