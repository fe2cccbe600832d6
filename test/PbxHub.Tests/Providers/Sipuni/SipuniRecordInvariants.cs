using System.Text.RegularExpressions;
using PbxHub.Calls;
using PbxHub.Providers.Sipuni;
using PbxHub.Simulation;

namespace PbxHub.Tests.Providers.Sipuni;

/// <summary>
/// What must hold of a Sipuni call's record whatever events were lost (docs/providers/sipuni.md): each broken rule is one
/// readable line.
/// </summary>
internal static partial class SipuniRecordInvariants
{
    public static IReadOnlyList<string> Problems(IReadOnlyList<HookRequest> sent, CallRecord r)
    {
        var problems = new List<string>();
        void Require(bool holds, string rule)
        {
            if (!holds)
            {
                problems.Add(rule);
            }
        }

        var ended = r.State == CallStates.Ended;
        Require(ended == r.EndedAt is not null, "ended exactly when it has an end");
        Require(!ended || (r.Outcome == Outcomes.Answered) == (r.AnsweredAt is not null), "answered exactly when an answer is known");
        Require(r.AnsweredAt is not { } a || (a >= r.StartedAt && (r.EndedAt is not { } e || a <= e)), "answered between start and end");
        Require(r.EndedAt is not { } end || r.WaitSeconds + r.TalkSeconds == (int)(end - r.StartedAt).TotalSeconds, "wait + talk = duration");
        Require(!ended || r.Legs.All(l => l.EndedAt is not null), "no leg open in an ended call");
        Require(r.Legs.All(l => l.StartedAt >= r.StartedAt && (l.AnsweredAt is null || l.AnsweredAt >= l.StartedAt) && (l.EndedAt is null || l.EndedAt >= l.StartedAt)), "legs in order");
        Require(r.AnsweredBy is not { } by || r.Legs.Any(l => l.Party.Key == by.Key && l.AnsweredAt == r.AnsweredAt), "answeredBy is the leg that answered first");
        Require(r.EndedWith is not { } with || r.Legs.Any(l => l.Party.Key == with.Key && l.AnsweredAt is not null), "endedWith answered");
        Require(r.Transfers.All(t => t.From.Key != t.To.Key && r.Legs.Any(l => l.Party.Key == t.To.Key && l.AnsweredAt is not null)), "transfers to parties who answered");
        Require(r.Direction != Directions.Inbound || r.Legs.All(l => l.Party.Extension is not null), "an inbound call's legs are employees (the line is no leg)");

        if (sent.FirstOrDefault(q => q.Get("event") == "2" && q.Get("src_type") == "1" && q.Get("dst_type") == "1") is { } lineEnd)
        {
            var status = lineEnd.Get("status")!.ToUpperInvariant();
            Require(ended && !r.Incomplete, "the line's event 2 ends the call");
            Require(r.ProviderResult == status, "the line's status is the call's providerResult");
            Require(status != "ANSWER" || r.Outcome == Outcomes.Answered, "the line's ANSWER makes the call answered");
        }

        foreach (var leg in r.Legs.Where(l => l.Party.Extension is not null))
        {
            var own = sent.Where(q => q.Get("dst_type") == "2" && ExtensionOf(q) == leg.Party.Extension).ToList();
            if (own.Count(q => q.Get("event") == "2") == 1 && own.All(q => q.Get("event") is "1" or "2") && r.Legs.Count(l => l.Party.Key == leg.Party.Key) == 1
                && own.Single(q => q.Get("event") == "2").Get("status") is { } status and not "ANSWER")
            {
                Require(leg.Outcome == SipuniSignals.OutcomeOf(status), $"leg {leg.Party.Extension} keeps its own {status} (got {leg.Outcome})");
            }
        }

        return problems;
    }

    private static string? ExtensionOf(HookRequest q) =>
        q.Get("short_dst_num") ?? (q.Get("dst_num") is { } login ? IdSuffix().Replace(login, "")[6..] : null);

    [GeneratedRegex("_id[0-9]+$")]
    private static partial Regex IdSuffix();
}
