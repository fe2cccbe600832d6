namespace PbxHub.Storage;

/// <summary>A webhook subscriber. <see cref="EventTypes"/> and <see cref="Accounts"/> empty mean all.</summary>
internal sealed record Subscription(
    string Id, string Url, IReadOnlyList<string> EventTypes, IReadOnlyList<string> Accounts, bool Enabled, string? Description,
    string Secret, string? PreviousSecret, DateTimeOffset? PreviousSecretUntil, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSuccessAt, DateTimeOffset? FailingSince)
{
    /// <summary>Set when the stored signing secrets cannot be decrypted: nothing is sent to it until they can.</summary>
    public string? SecretsProblem { get; init; }
}

/// <summary>The fields a user changes; null leaves one as it is.</summary>
internal sealed record SubscriptionChange(string? Url, IReadOnlyList<string>? EventTypes, IReadOnlyList<string>? Accounts, bool? Enabled, string? Description);

/// <summary>One event of the log with its JSON as delivered and streamed.</summary>
internal sealed record StoredEvent(long Seq, string Id, string Type, string CallId, string Account, DateTimeOffset OccurredAt, string Json);

/// <summary>
/// A delivery whose turn has come: the first pending one of its call for its subscription. <paramref name="DueAt"/> is
/// the time it was due when claimed (Unix ms): a resend or recover while it is in flight moves it, and the attempt's
/// outcome then no longer decides its state.
/// </summary>
internal sealed record DueDelivery(long Id, string SubscriptionId, long EventSeq, string EventId, string CallId, int Attempts, int Step, long DueAt);

internal sealed record DeliveryAttempt(int Attempt, DateTimeOffset At, int? StatusCode, long DurationMs, string? Error, string? Response);

/// <summary>What one attempt changed: the delivery's new state and, on failure, when to try again.</summary>
internal sealed record AttemptResult(
    DueDelivery Delivery, DeliveryAttempt Attempt, string State, int Step, DateTimeOffset? NextAttemptAt, string? DisableReason)
{
    /// <summary>The receiver was not ready for it yet (<see cref="Delivery.SendResult.WaitUntil"/>): no change to its health.</summary>
    public bool Waiting { get; init; }
}

internal sealed record DeliveryView(
    long Id, string EventId, string EventType, string CallId, string State, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? CompletedAt, IReadOnlyList<DeliveryAttempt> AttemptLog);

internal static class DeliveryStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>Given up after the last attempt of the schedule.</summary>
    public const string Failed = "failed";
}

internal interface ISubscriptionStore
{
    Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken ct);

    Task<Subscription?> FindAsync(string id, CancellationToken ct);

    Task AddAsync(Subscription subscription, CancellationToken ct);

    /// <summary>
    /// Changes what the user set (null: unchanged) and nothing else, so a change cannot undo what the dispatcher
    /// wrote meanwhile (a 410 disabling it); enabling clears the reason it was disabled and its failing streak.
    /// </summary>
    Task<bool> UpdateAsync(string id, SubscriptionChange change, CancellationToken ct);

    /// <summary>Stores a rotated secret unless the secret it replaces was rotated meanwhile (then false: nothing changed).</summary>
    Task<bool> RotateSecretAsync(Subscription rotated, string replacedSecret, CancellationToken ct);

    Task<bool> RemoveAsync(string id, CancellationToken ct);
}

/// <summary>The outbox and the event log as the dispatcher and the live stream read them.</summary>
internal interface IDeliveryStore
{
    /// <summary>
    /// Due pending deliveries of enabled subscriptions, each the earliest pending one of its call, claimed by this
    /// node for <paramref name="claimFor"/>: no other node takes them meanwhile, and a node that dies leaves them
    /// to be retaken when the claim runs out. <paramref name="held"/> are deliveries this node already has (sent or being
    /// sent, their attempts not written yet): never among the answer, and never in the way of the ones behind them.
    /// </summary>
    Task<IReadOnlyList<DueDelivery>> DueAsync(
        DateTimeOffset now, int limit, int perSubscription, TimeSpan claimFor, IReadOnlyCollection<long> held, CancellationToken ct);

    /// <summary>Gives back claims on deliveries this node took but will not send now.</summary>
    Task ReleaseAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken ct);

    Task<IReadOnlyList<StoredEvent>> EventsAsync(IReadOnlyCollection<long> seqs, CancellationToken ct);

    /// <summary>Events after <paramref name="afterSeq"/> in log order, optionally of some accounts and types only.</summary>
    Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(
        long afterSeq, IReadOnlyCollection<string> accounts, IReadOnlyCollection<string> types, int limit, CancellationToken ct);

    Task<long> LastEventSeqAsync(CancellationToken ct);

    Task<long?> EventSeqAsync(string eventId, CancellationToken ct);

    /// <summary>Stores attempts and their consequences (state, subscription health) in one transaction.</summary>
    Task RecordAsync(IReadOnlyList<AttemptResult> results, DateTimeOffset now, CancellationToken ct);

    Task<IReadOnlyList<DeliveryView>> ListAsync(string subscriptionId, long? beforeId, int limit, CancellationToken ct);

    /// <summary>Makes a delivery pending again, due now, with a fresh schedule; false when there is no such delivery.</summary>
    Task<bool> ResendAsync(string subscriptionId, long deliveryId, DateTimeOffset now, CancellationToken ct);

    /// <summary>Every matching event stored since <paramref name="since"/> pending again (or for the first time); returns how many.</summary>
    Task<int> RecoverAsync(Subscription subscription, DateTimeOffset since, DateTimeOffset now, CancellationToken ct);
}
