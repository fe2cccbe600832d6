using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>
/// Sends due deliveries from the outbox. Each call's deliveries go one at a time in event order (the store
/// only offers the earliest pending one of a call), calls go in parallel, and the outcome of every attempt
/// is stored before the next event of its call is offered. Ingest never waits for any of this.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IDeliveryStore deliveries, ISubscriptionStore subscriptions, WebhookSender sender, IEnumerable<IOutboxTarget> targets, EventLogSignal eventLog,
    TimeProvider time, IOptions<DeliveryOptions> options, StorageFaults faults, Telemetry.FoldTraces foldTraces,
    DispatchPasses passes, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, string> inFlight = new();
    private readonly ConcurrentQueue<AttemptResult> finished = new();
    private readonly EventLogSignal wake = passes.Wake;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var pulse = Task.WhenAny(eventLog.NextPulse, wake.NextPulse);
            try
            {
                await RecordFinishedAsync(stoppingToken);
                var now = time.GetUtcNow();
                var started = await StartDueAsync(o, now, stoppingToken);
                passes.Completed(now, started == 0 && inFlight.IsEmpty && finished.IsEmpty);
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

        // What finished while stopping is still worth keeping; what did not is sent again after a restart.
        await RecordFinishedAsync(CancellationToken.None);
    }

    private async Task RecordFinishedAsync(CancellationToken ct)
    {
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
        catch
        {
            // Not stored: keep the results (and their deliveries in flight, so none is sent twice) for the next try.
            foreach (var result in batch)
            {
                finished.Enqueue(result);
            }

            throw;
        }

        foreach (var result in batch)
        {
            inFlight.TryRemove(result.Delivery.Id, out _);
        }
    }

    /// <returns>How many deliveries this pass started.</returns>
    private async Task<int> StartDueAsync(DeliveryOptions o, DateTimeOffset now, CancellationToken ct)
    {
        var free = o.MaxConcurrency - inFlight.Count;
        if (free <= 0)
        {
            return 0;
        }

        // A claim outlives the longest attempt, so only a node that died leaves one to run out. Where nothing is
        // claimed (one node), the deliveries in flight come back among the due ones: ask for room for them too.
        var due = await deliveries.DueAsync(now, free + inFlight.Count, o.MaxConcurrencyPerSubscription, o.RequestTimeout * 2, ct);
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
            var perSubscription = inFlight.Values.Count(s => s == delivery.SubscriptionId);
            if (inFlight.Count >= o.MaxConcurrency || perSubscription >= o.MaxConcurrencyPerSubscription
                || !byId.TryGetValue(delivery.SubscriptionId, out var subscription) || !events.TryGetValue(delivery.EventSeq, out var stored)
                || !inFlight.TryAdd(delivery.Id, delivery.SubscriptionId))
            {
                notStarted.Add(delivery.Id);
                continue;
            }

            _ = Task.Run(() => DeliverAsync(subscription, delivery, stored, ct), CancellationToken.None);
        }

        await deliveries.ReleaseAsync(notStarted.Where(id => !inFlight.ContainsKey(id)).ToList(), ct);
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
            finished.Enqueue(Judge(subscription, delivery, sent));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            inFlight.TryRemove(delivery.Id, out _);
        }
        catch (Exception ex)
        {
            LogSendFailed(logger, ex, delivery.Id);
            inFlight.TryRemove(delivery.Id, out _);
        }
        finally
        {
            wake.Pulse();
        }
    }

    /// <summary>Success, a retry at the schedule's next step, giving up, or disabling the subscription.</summary>
    private AttemptResult Judge(Subscription subscription, DueDelivery delivery, SendResult sent)
    {
        var attempt = new DeliveryAttempt(delivery.Attempts + 1, sent.At, sent.StatusCode, sent.DurationMs, sent.Error, sent.ResponseStart);
        if (sent.WaitUntil is { } until)
        {
            return new AttemptResult(delivery, attempt, DeliveryStates.Pending, delivery.Step, until, null) { Waiting = true };
        }

        if (sent.Succeeded)
        {
            return new AttemptResult(delivery, attempt, DeliveryStates.Delivered, delivery.Step, null, null);
        }

        if (sent.Final)
        {
            // Retrying cannot fix it (a CRM refused the step as such): given up now, the reason in the attempt log.
            return new AttemptResult(delivery, attempt, DeliveryStates.Failed, delivery.Step + 1, null, null);
        }

        string? disable = null;
        if (sent.StatusCode == 410)
        {
            disable = "the endpoint answered 410 Gone";
        }
        else if (subscription.FailingSince is { } since && sent.At - since >= options.Value.DisableAfterFailingFor)
        {
            disable = $"no successful delivery since {since:u} ({options.Value.DisableAfterFailingFor.TotalDays:0.#} days)";
        }

        var throttled = sent.TimedOut || sent.StatusCode == 429 || sent.Throttled;
        var delay = RetrySchedule.Next(delivery.Step, sent.RetryAfter, throttled, Random.Shared);
        return delay is { } d
            ? new AttemptResult(delivery, attempt, DeliveryStates.Pending, delivery.Step + 1, sent.At + d, disable)
            : new AttemptResult(delivery, attempt, DeliveryStates.Failed, delivery.Step + 1, null, disable);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dispatch failed; trying again shortly")]
    private static partial void LogDispatchFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} could not be attempted")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, long deliveryId);
}
