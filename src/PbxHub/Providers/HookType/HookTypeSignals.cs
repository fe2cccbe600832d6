using PbxHub.Accounts;
using PbxHub.Calls;

namespace PbxHub.Providers.HookType;

/// <summary>
/// What one HookType event says about its call. Inbound: the call comes from Caller to the Called of
/// CreateIncCall on the line CityNumber; each AttemptIncCallBegin rings one employee (parallel ringing sends
/// several at once, sequential one after another); ChangeIncCall is the employee who answered; AttemptIncCallEnd
/// ends an employee's attempt that was not answered; EndIncCall ends the call (its Called had the call at the
/// end, Duration is the talk time); MissedIncCall ends a call nobody answered. Outbound: CreateOutCall rings
/// Called for the employee Caller; EndOutCall ends it.
/// </summary>
internal static class HookTypeSignals
{
    public static IReadOnlyList<CallSignal> From(Account account, HookTypeEvent e)
    {
        var caller = HookTypeParties.Of(account, e.Caller);
        var called = HookTypeParties.Of(account, e.Called);
        var line = HookTypeParties.Of(account, e.CityNumber);
        var code = e.ResultCode;
        var answered = code == "200" || (code is null && e.Duration > 0);
        var outcome = code is not null ? HookTypeResultCodes.OutcomeOf(code) : answered ? Outcomes.Answered : null;
        var answeredHint = answered ? e.At.AddSeconds(-(e.Duration ?? 0)) : (DateTimeOffset?)null;
        // Without StartTime (the spec's EndIncCall example) the talk's start is the earliest the call is known to have begun.
        var startHint = e.StartTime ?? answeredHint;

        // An end event's StartTime is when the call (or attempt) began: the call was seen then already.
        var seenAt = e.StartTime is { } start && start < e.At ? start : e.At;
        var priority = e.Kind switch
        {
            HookTypeKinds.CreateIncCall or HookTypeKinds.CreateOutCall => 0,
            HookTypeKinds.AttemptIncCallBegin => 1,
            _ => 2,
        };
        var signals = new List<CallSignal>
        {
            e.IsOutbound
                ? new CallSeen(seenAt, Directions.Outbound, caller, called, line, priority)
                : new CallSeen(seenAt, Directions.Inbound, caller, e.Kind == HookTypeKinds.CreateIncCall ? called ?? line : line, line, priority),
        };

        switch (e.Kind)
        {
            case HookTypeKinds.AttemptIncCallBegin or HookTypeKinds.CreateOutCall when called is not null:
                signals.Add(new LegRinging(e.At, called));
                break;
            case HookTypeKinds.ChangeIncCall when called is not null:
                signals.Add(new LegAnswered(e.At, called));
                break;
            case HookTypeKinds.AttemptIncCallEnd when called is not null:
                if (e.StartTime is { } attemptStart && attemptStart <= e.At)
                {
                    signals.Add(new LegRinging(attemptStart, called));
                }

                signals.Add(new LegEnded(e.At, called, Outcomes.NoAnswer, null, null, null));
                // One employee not answering leaves the call to the others: only EndIncCall/MissedIncCall end it.
                signals.Add(new CallEndAwaited(e.At));
                break;
            case HookTypeKinds.EndIncCall:
                if (answered && called is not null)
                {
                    signals.Add(new LegEnded(e.At, called, Outcomes.Answered, code, startHint, answeredHint));
                }

                signals.Add(new CallEnded(e.At, outcome, code, e.Duration));
                break;
            case HookTypeKinds.MissedIncCall:
                signals.Add(new CallEnded(e.At, outcome, code, e.Duration));
                break;
            case HookTypeKinds.EndOutCall:
                if (called is not null)
                {
                    signals.Add(new LegEnded(e.At, called, outcome ?? Outcomes.Unknown, code, startHint, answeredHint));
                }

                signals.Add(new CallEnded(e.At, outcome, code, e.Duration));
                break;
        }

        return signals;
    }
}
