using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>What an attempt's answer means for its delivery (docs/webhooks.md, "Retries" and "Disabling").</summary>
internal static class AttemptJudge
{
    /// <summary>Success, a retry at the schedule's next step, giving up, or disabling the subscription.</summary>
    public static AttemptResult Judge(Subscription subscription, DueDelivery delivery, SendResult sent, DeliveryOptions options)
    {
        var attempt = new DeliveryAttempt(delivery.Attempts + 1, sent.At, sent.StatusCode, sent.DurationMs, sent.Error, sent.ResponseStart);
        if (sent.WaitUntil is { } until)
        {
            // Not ready yet (a CRM connector waiting for a call to settle): the same step again at that time, neither success nor failure.
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
        else if (subscription.FailingSince is { } since && sent.At - since >= options.DisableAfterFailingFor)
        {
            disable = $"no successful delivery since {since:u} ({options.DisableAfterFailingFor.TotalDays:0.#} days)";
        }

        var throttled = sent.TimedOut || sent.StatusCode == 429 || sent.Throttled;
        var delay = RetrySchedule.Next(delivery.Step, sent.RetryAfter, throttled, Random.Shared);
        return delay is { } d
            ? new AttemptResult(delivery, attempt, DeliveryStates.Pending, delivery.Step + 1, sent.At + d, disable)
            : new AttemptResult(delivery, attempt, DeliveryStates.Failed, delivery.Step + 1, null, disable);
    }
}
