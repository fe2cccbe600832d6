using System.Globalization;
using PbxHub.Calls;

namespace PbxHub.Simulation;

/// <summary>
/// What a scenario implies about its call record. Parties are named by extension, else E.164 number.
/// <see cref="StartedAt"/> is the absolute instant the provider's first event gives: a hub that reads the
/// provider's wall clock in the wrong zone serves it hours off (docs/time-zones.md).
/// <see cref="IfSwept"/> is the record expected instead when the hub closed the call as incomplete,
/// for scenarios whose end never comes.
/// </summary>
internal sealed record ExpectedCall
{
    public required string Direction { get; init; }
    public required string State { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? Outcome { get; init; }
    public string? AnsweredBy { get; init; }
    public string? EndedWith { get; init; }
    public int Legs { get; init; }
    public int Transfers { get; init; }
    public int WaitSeconds { get; init; }
    public int TalkSeconds { get; init; }
    public string? RecordingUrl { get; init; }
    public string? ProviderResult { get; init; }
    public bool Incomplete { get; init; }
    public string? RoistatVisit { get; init; }
    public ExpectedCall? IfSwept { get; init; }

    /// <summary>Each leg as "party outcome" (e.g. "101 busy"), see <see cref="LegList"/>; null when the scenario does not say.</summary>
    public string? LegOutcomes { get; init; }

    /// <summary>Legs as <see cref="LegOutcomes"/> holds them: in ordinal order, so the order they were rung in does not matter.</summary>
    public static string LegList(IEnumerable<string> legs) => string.Join(", ", legs.Order(StringComparer.Ordinal));
}

/// <summary>Compares a served record with its expectation; each difference is one readable line.</summary>
internal static class CallComparer
{
    public static string? NameOf(Party? party) => party is null ? null : party.Extension ?? party.Number ?? party.Raw;

    public static IReadOnlyList<string> Differences(ExpectedCall expected, CallRecord actual)
    {
        if (actual.Incomplete && expected.IfSwept is { } swept)
        {
            expected = swept with { StartedAt = swept.StartedAt ?? expected.StartedAt };
        }

        var diffs = new List<string>();
        void Check<T>(string field, T want, T got)
        {
            if (!EqualityComparer<T>.Default.Equals(want, got))
            {
                diffs.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: expected {Show(want)}, got {Show(got)}"));
            }
        }

        Check("direction", expected.Direction, actual.Direction);
        Check("state", expected.State, actual.State);
        if (expected.StartedAt is { } startedAt)
        {
            Check("startedAt", CallJson.Utc(startedAt), CallJson.Utc(actual.StartedAt));
        }

        Check("outcome", expected.Outcome, actual.Outcome);
        Check("answeredBy", expected.AnsweredBy, NameOf(actual.AnsweredBy));
        Check("endedWith", expected.EndedWith, NameOf(actual.EndedWith));
        Check("legs", expected.Legs, actual.Legs.Count);
        Check("transfers", expected.Transfers, actual.Transfers.Count);
        Check("waitSeconds", expected.WaitSeconds, actual.WaitSeconds);
        Check("talkSeconds", expected.TalkSeconds, actual.TalkSeconds);
        Check("recordingUrl", expected.RecordingUrl, actual.RecordingUrl);
        Check("providerResult", expected.ProviderResult, actual.ProviderResult);
        Check("incomplete", expected.Incomplete, actual.Incomplete);
        Check("tracking.roistatVisit", expected.RoistatVisit, actual.Tracking?.RoistatVisit);
        if (expected.LegOutcomes is { } legOutcomes)
        {
            Check("legs.outcome", legOutcomes, ExpectedCall.LegList(actual.Legs.Select(l => $"{NameOf(l.Party)} {l.Outcome}")));
        }

        return diffs;
    }

    public static string Show<T>(T value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
