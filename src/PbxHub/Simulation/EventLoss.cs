namespace PbxHub.Simulation;

/// <summary>What <c>--lose-mode</c> takes from a lost call: the whole call, its hang-ups only, or either (a coin decides per call).</summary>
internal enum LossMode
{
    Both,
    Calls,
    HangUps,
}

/// <summary>What <c>--lose</c> did to one call.</summary>
internal enum CallLoss
{
    /// <summary>Every request was sent.</summary>
    None,

    /// <summary>No request was sent: the hub can only learn of the call from the provider's history.</summary>
    Whole,

    /// <summary>The call's hang-ups (<see cref="HookRequest.HangUp"/>) were not sent: the call never ends by its events.</summary>
    HangUps,
}

/// <param name="Share">The share of calls (0..1) that lose events.</param>
internal sealed record LossOptions(double Share, LossMode Mode)
{
    public static readonly LossOptions None = new(0, LossMode.Both);

    public static readonly IReadOnlyList<string> ModeNames = ["both", "calls", "hangups"];

    public static LossMode? ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "both" => LossMode.Both,
        "calls" => LossMode.Calls,
        "hangups" => LossMode.HangUps,
        _ => null,
    };
}

/// <summary>
/// Drops events on purpose, as providers lose them before they reach a receiver (docs/simulate.md). Each call draws
/// from a random source of its own, apart from the one its traffic came from, so the same seed gives the same calls
/// with or without <c>--lose</c>, and the same calls lost.
/// </summary>
internal static class EventLoss
{
    public static PlannedCall Apply(PlannedCall planned, LossOptions loss, Random random)
    {
        if (loss.Share <= 0 || random.NextDouble() >= loss.Share)
        {
            return planned;
        }

        var whole = loss.Mode switch
        {
            LossMode.Calls => true,
            LossMode.HangUps => false,
            _ => random.Next(2) == 0,
        };
        var kept = whole ? [] : planned.Deliveries.Where(d => !d.Request.HangUp).ToList();
        var dropped = planned.RequestCount - kept.Sum(d => d.Twice ? 2 : 1);
        if (dropped == 0)
        {
            // A call that sends no hang-up (its scenario loses them itself) has none to lose.
            return planned;
        }

        return planned with { Deliveries = kept, Loss = kept.Count == 0 ? CallLoss.Whole : CallLoss.HangUps, Dropped = dropped };
    }
}

/// <summary>What <c>--lose</c> dropped in a run: calls never sent, calls sent without their hang-ups, and the requests not sent.</summary>
internal sealed record LossCount(int WholeCalls, int HangUpCalls, int Requests)
{
    public static LossCount Of(IEnumerable<PlannedCall> plan)
    {
        var calls = plan.ToList();
        return new(calls.Count(p => p.Loss == CallLoss.Whole), calls.Count(p => p.Loss == CallLoss.HangUps), calls.Sum(p => p.Dropped));
    }
}
