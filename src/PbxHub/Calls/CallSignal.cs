namespace PbxHub.Calls;

/// <summary>
/// A provider-neutral fact about a call, derived from one raw event. Adapters translate their
/// dialect into signals; <see cref="CallFold"/> turns the set of signals into the call record.
/// </summary>
internal abstract record CallSignal(DateTimeOffset At)
{
    /// <summary>Orders signals that share a timestamp: a call is seen, rings, is answered, handed over, ends.</summary>
    public abstract int Rank { get; }
}

/// <summary>Who called whom. Lower <paramref name="Priority"/> wins; it fills what better ones lack.</summary>
internal sealed record CallSeen(DateTimeOffset At, string Direction, Party? From, Party? To, Party? Line, int Priority)
    : CallSignal(At)
{
    public override int Rank => 0;
}

internal sealed record LegRinging(DateTimeOffset At, Party Party) : CallSignal(At)
{
    public override int Rank => 1;
}

internal sealed record LegAnswered(DateTimeOffset At, Party Party) : CallSignal(At)
{
    public override int Rank => 2;
}

/// <summary>The call is now <paramref name="To"/>'s alone: every other answered party has left it.</summary>
internal sealed record HandedOver(DateTimeOffset At, Party To) : CallSignal(At)
{
    public override int Rank => 3;
}

/// <summary>One party's leg ended. Hints carry what the provider reports about the call as a whole.</summary>
internal sealed record LegEnded(
    DateTimeOffset At, Party Party, string Outcome, string? ProviderResult,
    DateTimeOffset? CallStartedHint, DateTimeOffset? AnsweredHint) : CallSignal(At)
{
    public override int Rank => 4;
}

/// <summary>
/// <paramref name="Party"/>'s hang-up also ends what it leaves behind, for providers that send no end of the
/// call of its own (Sipuni's event 2, which its document calls the end of the call): when the party was the
/// last to answer, every other open leg; otherwise the unanswered legs rung before it (ringing moved on from
/// them). A leg closed so is provisional: its own later events still win (docs/providers/sipuni.md).
/// </summary>
internal sealed record HangUpEndsCall(DateTimeOffset At, Party Party) : CallSignal(At)
{
    public override int Rank => 5;
}

/// <summary>
/// The whole call ended (every open leg with it). <paramref name="TalkSeconds"/> is the provider's own
/// figure where it reports one (it wins over the difference of timestamps, and dates the answer when no
/// leg did).
/// </summary>
internal sealed record CallEnded(DateTimeOffset At, string? Outcome, string? ProviderResult, int? TalkSeconds = null) : CallSignal(At)
{
    public override int Rank => 5;
}

internal sealed record RecordingKnown(DateTimeOffset At, string Url) : CallSignal(At)
{
    public override int Rank => 6;
}

/// <summary>
/// PbxHub kept the call's recording, or gave up on it (written by the recordings fetcher as a raw event of the call,
/// so replay reproduces it; docs/recordings.md). The latest one wins.
/// </summary>
internal sealed record RecordingSettled(DateTimeOffset At, Recording Recording) : CallSignal(At)
{
    public override int Rank => 7;
}

internal sealed record TrackingKnown(DateTimeOffset At, Tracking Tracking) : CallSignal(At)
{
    public override int Rank => 6;
}

/// <summary>
/// This event belongs to a call whose own start (a <see cref="CallSeen"/> of priority 0) should be known;
/// without one the record is flagged incomplete, e.g. an Evrotel end whose call id the hub never issued.
/// </summary>
internal sealed record StartRequired(DateTimeOffset At) : CallSignal(At)
{
    public override int Rank => 8;
}

/// <summary>
/// The provider ends calls with an explicit <see cref="CallEnded"/>: a leg's end, even of the last open leg,
/// leaves the call open (HookType's AttemptIncCallEnd: an employee did not answer, another may still be rung).
/// </summary>
internal sealed record CallEndAwaited(DateTimeOffset At) : CallSignal(At)
{
    public override int Rank => 8;
}

/// <summary>The hub gave up waiting for the call's end (written by the sweeper, so replay sees it too).</summary>
internal sealed record TimedOut(DateTimeOffset At) : CallSignal(At)
{
    public override int Rank => 9;
}

/// <summary>
/// The provider's own call history said this of the call (a stored row of kind <c>history</c>, read at
/// <paramref name="At"/>). The fold keeps the events' version unless the history is more complete (docs/reconciliation.md).
/// </summary>
internal sealed record HistoryReported(DateTimeOffset At, Reconciliation.HistoryFacts Facts) : CallSignal(At)
{
    public override int Rank => 10;
}
