namespace PbxHub.Calls;

/// <summary>Which call a set of signals belongs to, and when its raw events were last received.</summary>
internal sealed record CallIdentity(string Id, string Account, string Provider, string ProviderCallId, DateTimeOffset UpdatedAt);

/// <summary>
/// The one fold from signals to a call record. It sorts the signals into a canonical order first,
/// so the record is a function of the set of signals: arrival order and duplicates cannot change it.
/// </summary>
internal static partial class CallFold
{
    /// <summary>A second ring of the same party within this window is the provider repeating itself.</summary>
    private static readonly TimeSpan RepeatedRingWindow = TimeSpan.FromSeconds(5);

    public static CallRecord? Fold(CallIdentity identity, IEnumerable<CallSignal> signals)
    {
        var distinct = signals.Distinct().ToList();
        return distinct.Any(s => s is HistoryReported) ? FoldWithHistory(identity, distinct) : FoldEvents(identity, distinct);
    }

    private static CallRecord? FoldEvents(CallIdentity identity, List<CallSignal> distinct)
    {
        if (distinct.Count == 0)
        {
            return null;
        }

        var callParties = CallParties(distinct);
        var ordered = distinct.Order(new SignalOrder(callParties)).ToList();
        var state = new FoldState(callParties);
        foreach (var signal in ordered)
        {
            state.Apply(signal);
        }

        return state.ToRecord(identity);
    }

    private sealed partial class FoldState(IReadOnlySet<string> callParties)
    {
        private readonly List<LegState> legs = [];
        private readonly List<Transfer> transfers = [];
        private readonly List<CallSeen> seen = [];
        private DateTimeOffset firstAt = DateTimeOffset.MaxValue;
        private DateTimeOffset lastAt = DateTimeOffset.MinValue;
        private DateTimeOffset? startedHint;
        private bool legEndSeen;
        private CallEnded? callEnded;
        private string? providerResult;
        private string? lastLegOutcome;
        private string? recordingUrl;
        private Recording? recording;
        private Tracking? tracking;
        private bool timedOut;
        private bool startRequired;
        private bool endAwaited;
        private DateTimeOffset? reportedAnswerAt;
        private int? reportedTalkSeconds;

        public void Apply(CallSignal signal)
        {
            switch (signal)
            {
                case TimedOut: timedOut = true; return;
                case StartRequired: startRequired = true; return;
                case CallEndAwaited: endAwaited = true; return;
                // When PbxHub kept the file says nothing of when the call happened.
                case RecordingSettled r: recording = r.Recording; return;
            }

            firstAt = signal.At < firstAt ? signal.At : firstAt;
            lastAt = signal.At > lastAt ? signal.At : lastAt;
            switch (signal)
            {
                case CallSeen s: seen.Add(s); break;
                case LegRinging r: Ring(r.Party, r.At); break;
                case LegAnswered a: Answer(a.Party, a.At); break;
                case HandedOver h: HandOver(h.To, h.At); break;
                case LegEnded e: EndLeg(e); break;
                case HangUpEndsCall h: CloseBehind(h); break;
                case CallEnded c: EndCall(c); break;
                case RecordingKnown rec: recordingUrl = rec.Url; break;
                case TrackingKnown t: tracking = Merge(tracking, t.Tracking); break;
            }
        }

        private LegState? OpenLegOf(Party party) => legs.LastOrDefault(l => l.IsOpen && l.Party.Key == party.Key);

        private LegState Ring(Party party, DateTimeOffset at, bool mayBeTransfer = true)
        {
            var open = OpenLegOf(party);
            if (open is not null && (open.AnsweredAt is not null || at - open.StartedAt <= RepeatedRingWindow))
            {
                return open;
            }

            // Rung while someone else holds the call: a transfer, once this party answers (docs/providers/sipuni.md).
            var holder = legs.LastOrDefault(l => l.IsOpen && l.AnsweredAt is not null && l.Party.Key != party.Key);
            var leg = new LegState(party, at) { TransferFrom = mayBeTransfer ? holder?.Party : null };
            legs.Add(leg);
            return leg;
        }

        private void Answer(Party party, DateTimeOffset at)
        {
            var leg = OpenLegOf(party) ?? Reopen(party, at) ?? Ring(party, at);
            leg.AnsweredAt ??= at;
        }

        private void HandOver(Party to, DateTimeOffset at)
        {
            var target = OpenLegOf(to) ?? Reopen(to, at) ?? Ring(to, at);
            target.AnsweredAt ??= at;
            foreach (var other in legs.Where(l => l != target && l.IsOpen && l.AnsweredAt is not null))
            {
                other.Close(at, Outcomes.Answered, LegClosure.HandedOver);
                if (target.TransferFrom is null && !transfers.Any(t => t.To.Key == to.Key))
                {
                    transfers.Add(new Transfer(other.Party, to, at));
                }
            }
        }

        private void EndLeg(LegEnded e)
        {
            if (e.CallStartedHint is { } hint && (startedHint is null || hint < startedHint))
            {
                startedHint = hint;
            }

            providerResult = e.ProviderResult ?? providerResult;
            var leg = LegToEnd(e.Party, e.At);
            if (leg is null)
            {
                if (IsCallParty(e.Party))
                {
                    EndCallByHangUp(e);
                    return;
                }

                if (legs.Any(l => l.Party.Key == e.Party.Key && l.StartedAt <= e.At))
                {
                    // The leg ended already (a secondary hang-up handed the call over): its own hang-up adds nothing.
                    legEndSeen = true;
                    return;
                }

                // Its ring never arrived: the leg is known from the hang-up alone, which says nothing of transfers.
                leg = Ring(e.Party, e.CallStartedHint is { } s && s <= e.At ? s : e.At, mayBeTransfer: false);
            }

            leg.ForgetInferredAnswer();
            if (leg.AnsweredAt is null && e.Outcome == Outcomes.Answered)
            {
                // Some providers report an answer time before the leg even started; never earlier than the start.
                var answered = e.AnsweredHint ?? e.At;
                leg.AnsweredAt = answered < leg.StartedAt ? leg.StartedAt : answered;
            }

            leg.Close(e.At, leg.AnsweredAt is not null ? Outcomes.Answered : e.Outcome, LegClosure.Own);
            lastLegOutcome = leg.Outcome;
            legEndSeen = true;
        }

        /// <summary>
        /// The leg a hang-up ends: the latest open one that started before it, so a party rung again in the
        /// same second as its previous leg's hang-up keeps the new leg open; else one closed only provisionally
        /// (its own hang-up wins); else the oldest open one.
        /// </summary>
        private LegState? LegToEnd(Party party, DateTimeOffset at) =>
            legs.LastOrDefault(l => l.IsOpen && l.Party.Key == party.Key && l.StartedAt < at)
            ?? ProvisionallyClosed(party, at)
            ?? legs.FirstOrDefault(l => l.IsOpen && l.Party.Key == party.Key);

        private bool IsCallParty(Party party) => callParties.Contains(party.Key);

        private void EndCall(CallEnded c, LegClosure closure = LegClosure.CallEnd)
        {
            callEnded = c;
            providerResult = c.ProviderResult ?? providerResult;
            if (c.TalkSeconds is { } talk)
            {
                reportedTalkSeconds = talk;
                if (talk > 0 || c.Outcome == Outcomes.Answered)
                {
                    reportedAnswerAt = c.At.AddSeconds(-talk);
                }
            }

            foreach (var leg in legs.Where(l => l.IsOpen))
            {
                leg.Close(c.At, leg.AnsweredAt is not null ? Outcomes.Answered : Outcomes.Cancelled, closure);
            }
        }

        private static Tracking Merge(Tracking? a, Tracking b) => a is null ? b : new Tracking(
            b.RoistatVisit ?? a.RoistatVisit, b.RoistatNumber ?? a.RoistatNumber,
            b.RoistatMarker ?? a.RoistatMarker, b.GoogleClientId ?? a.GoogleClientId);

        public CallRecord ToRecord(CallIdentity identity) => new FoldResult(this).Build(identity);

        private readonly struct FoldResult(FoldState s)
        {
            public CallRecord Build(CallIdentity identity)
            {
                var best = s.seen.OrderBy(x => x.Priority).ThenBy(x => x.At).ToList();
                var direction = best.FirstOrDefault()?.Direction ?? Directions.Inbound;
                var startedAt = new[] { s.firstAt, s.startedHint ?? DateTimeOffset.MaxValue, s.reportedAnswerAt ?? DateTimeOffset.MaxValue }.Min();
                var ended = s.callEnded is not null || (s.legEndSeen && !s.endAwaited && s.legs.All(l => !l.IsOpen));
                var timedOutOpen = !ended && s.timedOut;
                var incomplete = timedOutOpen || (s.startRequired && !s.seen.Any(x => x.Priority == 0));
                DateTimeOffset? endedAt = null;
                if (ended)
                {
                    endedAt = s.callEnded?.At ?? s.legs.Max(l => l.EndedAt);
                }
                else if (timedOutOpen)
                {
                    endedAt = s.lastAt;
                    foreach (var leg in s.legs.Where(l => l.IsOpen))
                    {
                        leg.Close(s.lastAt, leg.AnsweredAt is not null ? Outcomes.Answered : Outcomes.Unknown, LegClosure.TimedOut);
                    }
                }

                var answeredLeg = s.legs.Where(l => l.AnsweredAt is not null).MinBy(l => l.AnsweredAt);
                var answeredAt = answeredLeg?.AnsweredAt ?? s.reportedAnswerAt;
                var endedWith = endedAt is null ? null : s.legs
                    .Where(l => l.AnsweredAt is not null)
                    .OrderBy(l => l.EndedAt ?? DateTimeOffset.MaxValue).ThenBy(l => l.AnsweredAt)
                    .LastOrDefault()?.Party;
                var isEnded = endedAt is not null;
                return new CallRecord
                {
                    Id = identity.Id,
                    Account = identity.Account,
                    Provider = identity.Provider,
                    ProviderCallId = identity.ProviderCallId,
                    Direction = direction,
                    From = best.Select(x => x.From).FirstOrDefault(p => p is not null),
                    To = best.Select(x => x.To).FirstOrDefault(p => p is not null),
                    Line = best.Select(x => x.Line).FirstOrDefault(p => p is not null),
                    State = isEnded ? CallStates.Ended : answeredAt is not null ? CallStates.Active : CallStates.Ringing,
                    Outcome = !isEnded ? null : Outcome(timedOutOpen, answeredAt is not null, direction),
                    StartedAt = startedAt,
                    AnsweredAt = answeredAt,
                    EndedAt = endedAt,
                    WaitSeconds = Seconds(startedAt, answeredAt ?? endedAt),
                    TalkSeconds = s.reportedTalkSeconds ?? (answeredAt is null ? 0 : Seconds(answeredAt.Value, endedAt)),
                    AnsweredBy = answeredLeg?.Party,
                    EndedWith = endedWith,
                    Legs = s.legs.OrderBy(l => l.StartedAt).Select(l => l.ToLeg()).ToList(),
                    Transfers = s.Transfers(),
                    RecordingUrl = s.recordingUrl,
                    Recording = s.recording ?? (s.recordingUrl is null ? null : Calls.Recording.Pending),
                    Tracking = s.tracking,
                    // The call's own end speaks for the call, even when a leg's hang-up is read after it.
                    ProviderResult = s.callEnded?.ProviderResult ?? s.providerResult,
                    Incomplete = incomplete,
                    UpdatedAt = identity.UpdatedAt,
                };
            }

            private string Outcome(bool timedOutOpen, bool answered, string direction)
            {
                // Answered is what happened to any answered call, even one whose end never came: incomplete says the rest.
                if (answered)
                {
                    return Outcomes.Answered;
                }

                if (timedOutOpen)
                {
                    return Outcomes.Unknown;
                }

                return direction == Directions.Inbound
                    ? Outcomes.Missed
                    : s.callEnded?.Outcome ?? s.lastLegOutcome ?? Outcomes.Unknown;
            }

            private static int Seconds(DateTimeOffset from, DateTimeOffset? to) =>
                to is null || to <= from ? 0 : (int)(to.Value - from).TotalSeconds;
        }
    }
}
