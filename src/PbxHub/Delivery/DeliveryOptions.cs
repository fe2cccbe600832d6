using System.ComponentModel.DataAnnotations;

namespace PbxHub.Delivery;

/// <summary>Webhook delivery and the live stream (<c>PbxHub:Delivery</c>).</summary>
internal sealed class DeliveryOptions : IValidatableObject
{
    public const string Section = "PbxHub:Delivery";

    /// <summary>How long a subscriber has to answer one delivery. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the dispatcher looks for due deliveries when nothing wakes it. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests in flight at once, over all subscriptions. Default 128.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 128;

    /// <summary>
    /// Requests in flight at once to one subscription, so a slow one cannot hold up the others. Default 32: one subscriber
    /// takes at most this many divided by its answer time per second (docs/webhooks.md, "How fast deliveries go").
    /// </summary>
    [Range(1, 256)]
    public int MaxConcurrencyPerSubscription { get; set; } = 32;

    /// <summary>A subscription failing without a single success for this long is disabled. Default 5 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long the old secret keeps signing after a rotation, unless the rotation says otherwise. Default 24 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretRotationGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A comment line sent on an idle live stream, so proxies keep it open. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan StreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a live stream looks for events stored by other nodes when nothing wakes it. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Networks webhooks are never sent to, as CIDR networks or addresses separated by commas, checked against every
    /// address a subscriber's name resolves to. Default: the link-local networks, where cloud metadata services answer
    /// (<c>169.254.169.254</c>). Add <c>127.0.0.0/8, ::1, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7</c> when
    /// the holders of API keys must not reach the hub's own network; empty allows everything.
    /// </summary>
    public string BlockedNetworks { get; set; } = "169.254.0.0/16, fe80::/10";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var problem in Security.NetworkAddresses.NetworkProblems(BlockedNetworks))
        {
            yield return new ValidationResult($"{Section}:BlockedNetworks: {problem}", [nameof(BlockedNetworks)]);
        }

        if (MaxConcurrencyPerSubscription > MaxConcurrency)
        {
            yield return new ValidationResult(
                $"{Section}:MaxConcurrencyPerSubscription ({MaxConcurrencyPerSubscription}) is more than {Section}:MaxConcurrency ({MaxConcurrency})",
                [nameof(MaxConcurrencyPerSubscription)]);
        }
    }

    /// <summary>A live-stream client that does not take what was written within this time is dropped. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan StreamWriteTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
