namespace PbxHub.Calls;

/// <summary>How the fold copes with a call whose events are partly lost (docs/providers/sipuni.md).</summary>
internal static partial class CallFold
{
    /// <summary>
    /// What closed a leg. Its own hang-up, a hand-over and a provider's end of the call are final; a closure
    /// the fold inferred (the line hung up, or another party's hang-up left the leg behind) is provisional:
    /// the leg's own hang-up, arriving in the same second or later, still gives its end and outcome.
    /// </summary>
    private enum LegClosure
    {
        Open,
        Own,
        HandedOver,
        CallEnd,
        TimedOut,
        LineHangUp,
        LeftBehind,
    }

    private sealed class LegState(Party party, DateTimeOffset startedAt)
    {
        public Party Party { get; } = party;
        public DateTimeOffset StartedAt { get; set; } = startedAt;
        public DateTimeOffset? AnsweredAt { get; set; }
        public DateTimeOffset? EndedAt { get; private set; }
        public string? Outcome { get; private set; }
        public LegClosure Closure { get; private set; }

        /// <summary>Who held the call when this party was rung: a transfer from them, if this party answers.</summary>
        public Party? TransferFrom { get; init; }

        /// <summary>The answer was inferred from the line's hang-up: the leg's own hang-up, when it comes, says instead.</summary>
        public bool AnswerInferred { get; private set; }

        public bool IsOpen => EndedAt is null;

        public void InferAnswer(DateTimeOffset at) => (AnsweredAt, AnswerInferred) = (at < StartedAt ? StartedAt : at, true);

        public void ForgetInferredAnswer()
        {
            if (AnswerInferred)
            {
                (AnsweredAt, AnswerInferred) = (null, false);
            }
        }

        public bool IsProvisional => Closure is LegClosure.LineHangUp or LegClosure.LeftBehind;

        public void Close(DateTimeOffset at, string? outcome, LegClosure closure) => (EndedAt, Outcome, Closure) = (at, outcome, closure);

        public void Reopen() => (EndedAt, Outcome, Closure) = (null, null, LegClosure.Open);

        public Leg ToLeg() => new(Party, StartedAt, AnsweredAt, EndedAt, Outcome);
    }

    private sealed partial class FoldState
    {
        private LegState? ProvisionallyClosed(Party party, DateTimeOffset at) =>
            legs.LastOrDefault(l => l.IsProvisional && l.Party.Key == party.Key && l.StartedAt <= at);

        /// <summary>A leg left behind by another's hang-up answers after all: it was still in the call.</summary>
        private LegState? Reopen(Party party, DateTimeOffset at)
        {
            var leg = legs.LastOrDefault(l => l.Closure == LegClosure.LeftBehind && l.Party.Key == party.Key && l.StartedAt <= at);
            leg?.Reopen();
            return leg;
        }

        /// <summary>
        /// The line's own hang-up ends the call. When it says the call was answered and no answer of a leg is
        /// known (event 3 lost), the employee who had the call answered it: the open leg rung last before the
        /// answer, when that is one leg; otherwise the call is answered without naming who.
        /// </summary>
        private void EndCallByHangUp(LegEnded e)
        {
            if (e.Outcome == Outcomes.Answered && !legs.Any(l => l.AnsweredAt is not null))
            {
                // The call was answered whoever gets the credit: that leg's own hang-up, read after this one in
                // the same second, may still take it back.
                var answered = e.AnsweredHint ?? e.At;
                reportedAnswerAt = answered < firstAt ? firstAt : answered;
                var open = legs.Where(l => l.IsOpen).ToList();
                var rungBefore = open.Where(l => l.StartedAt <= answered).ToList();
                var candidates = rungBefore.Count > 0 ? rungBefore : open;
                if (candidates.Where(l => l.StartedAt == candidates.Max(c => c.StartedAt)).ToList() is [var holder])
                {
                    holder.InferAnswer(answered);
                }
            }

            EndCall(new CallEnded(e.At, null, e.ProviderResult), LegClosure.LineHangUp);
        }

        /// <summary>
        /// A hang-up that may end the call (<see cref="HangUpEndsCall"/>). The party that answered last hanging
        /// up ends it: nobody else still talks with the caller, so other open legs are ones whose hang-up was lost.
        /// An unanswered party hanging up leaves behind the unanswered legs rung before it: ringing moved on.
        /// </summary>
        private void CloseBehind(HangUpEndsCall h)
        {
            var ended = legs.LastOrDefault(l => l.Party.Key == h.Party.Key && l.Closure == LegClosure.Own && l.EndedAt == h.At);
            if (ended is null)
            {
                return;
            }

            var answered = ended.AnsweredAt;
            if (answered is not null && legs.Any(l => l.IsOpen && l.AnsweredAt > answered))
            {
                return;
            }

            foreach (var leg in legs.Where(l => l.IsOpen && (answered is not null || (l.AnsweredAt is null && l.StartedAt < ended.StartedAt))))
            {
                leg.Close(h.At, leg.AnsweredAt is not null ? Outcomes.Answered : Outcomes.Cancelled, LegClosure.LeftBehind);
            }
        }

        /// <summary>Transfers to parties who answered (one rung and never answered took no call), then hand-overs.</summary>
        public IReadOnlyList<Transfer> Transfers() => legs
            .Where(l => l.TransferFrom is not null && l.AnsweredAt is not null)
            .Select(l => new Transfer(l.TransferFrom!, l.Party, l.StartedAt))
            .Concat(transfers)
            .OrderBy(t => t.At)
            .ToList();
    }
}
