namespace PbxHub.Calls;

/// <summary>The canonical order the fold reads a call's signals in (docs/providers/sipuni.md).</summary>
internal static partial class CallFold
{
    /// <summary>
    /// The call's own parties, whose hang-up ends the call: its line, as the best-placed event names it (a hang-up's
    /// guess gives way to the call's arrival), and the party an outbound call dialled. Read from the whole set of
    /// signals, so it does not depend on which of them the fold reads first.
    /// </summary>
    private static HashSet<string> CallParties(IReadOnlyList<CallSignal> signals)
    {
        var seen = signals.OfType<CallSeen>().ToList();
        var parties = seen.Where(s => s.Priority == 0 && s.To is not null).Select(s => s.To!.Key).ToHashSet(StringComparer.Ordinal);
        var line = seen.Where(s => s.Line is not null)
            .OrderBy(s => s.Priority).ThenBy(s => s.At).ThenBy(s => s.ToString(), StringComparer.Ordinal).FirstOrDefault()?.Line;
        if (line is not null)
        {
            parties.Add(line.Key);
        }

        return parties;
    }

    /// <summary>
    /// By time, then rank. Within one second a hang-up's place is decided by what it says, never by how a number is
    /// written: the employees' hang-ups are read before the call party's (so the line's ANSWER knows which legs had
    /// already said otherwise), and among them an answered leg last (its status speaks for the call).
    /// </summary>
    private sealed class SignalOrder(IReadOnlySet<string> callParties) : IComparer<CallSignal>
    {
        public int Compare(CallSignal? x, CallSignal? y)
        {
            var byTime = x!.At.CompareTo(y!.At);
            if (byTime != 0)
            {
                return byTime;
            }

            var byRank = x.Rank.CompareTo(y.Rank);
            if (byRank != 0)
            {
                return byRank;
            }

            if (x is LegEnded a && y is LegEnded b)
            {
                var byWhat = (callParties.Contains(a.Party.Key), a.Outcome == Outcomes.Answered).CompareTo((callParties.Contains(b.Party.Key), b.Outcome == Outcomes.Answered));
                if (byWhat != 0)
                {
                    return byWhat;
                }

                var byResult = string.CompareOrdinal(a.ProviderResult, b.ProviderResult);
                if (byResult != 0)
                {
                    return byResult;
                }
            }

            return string.CompareOrdinal(x.ToString(), y.ToString());
        }
    }
}
