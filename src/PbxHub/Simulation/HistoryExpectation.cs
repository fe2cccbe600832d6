using System.Globalization;
using PbxHub.Calls;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Simulation;

/// <summary>
/// What a provider's call history tells of a call beyond what every history gives (direction, numbers, start, end,
/// answer, outcome): each generator with a history declares its own (docs/simulate.md).
/// </summary>
/// <param name="NamesWhoAnswered">The history names the employee (or client) who answered.</param>
/// <param name="HasRecordingLink">The history carries the recording's link as the events do.</param>
/// <param name="TellsOnlyWhetherAnswered">
/// The history says answered or not, never why not (Sipuni's export): an unanswered call it completes is <c>missed</c>
/// when inbound and <c>no_answer</c> otherwise, whatever the events would have said.
/// </param>
internal sealed record HistoryShape(bool NamesWhoAnswered, bool HasRecordingLink, bool TellsOnlyWhetherAnswered = false)
{
    public string OutcomeOf(HistoryCall call) => !TellsOnlyWhetherAnswered || call.Outcome == Outcomes.Answered ? call.Outcome
        : call.Direction == Directions.Inbound ? Outcomes.Missed : Outcomes.NoAnswer;
}

/// <summary>
/// How <c>--verify</c> reads back a call after reconciliation (docs/simulate.md), in one place. A call whose events
/// were lost, or whose scenario never sends its end, must come back ended from the history: <c>fromHistory: true</c>,
/// its direction and start, and the history's outcome, talk seconds, and (where the history has them) who answered and
/// the recording. Legs, transfers, wait and the provider's status are the events' alone: a history does not tell them,
/// so they are not expected. Every other call must stay as its events made it, <c>fromHistory: false</c>.
/// </summary>
internal static class HistoryExpectation
{
    /// <summary>Whether the call is right only once the history has been read.</summary>
    public static bool NeedsHistory(PlannedCall planned) =>
        planned.Call.History is not null && (planned.Loss != CallLoss.None || planned.Call.Expected.State != CallStates.Ended);

    public static IReadOnlyList<string> Differences(SimulatedCall call, HistoryShape shape, CallRecord actual, bool fromHistory)
    {
        var history = call.History ?? throw new InvalidOperationException($"call {call.ProviderCallId} has no history row");
        var expected = call.Expected;
        var diffs = new List<string>();
        void Check<T>(string field, T want, T got)
        {
            if (!EqualityComparer<T>.Default.Equals(want, got))
            {
                diffs.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: expected {CallComparer.Show(want)}, got {CallComparer.Show(got)}"));
            }
        }

        Check("fromHistory", true, fromHistory);
        Check("direction", expected.Direction, actual.Direction);
        Check("state", CallStates.Ended, actual.State);
        Check("startedAt", CallJson.Utc(history.StartedAt), CallJson.Utc(actual.StartedAt));
        Check("outcome", shape.OutcomeOf(history), actual.Outcome);
        Check("talkSeconds", history.AnsweredAt is { } answered ? (int)(history.EndedAt - answered).TotalSeconds : 0, actual.TalkSeconds);
        Check("incomplete", false, actual.Incomplete);
        if (shape.NamesWhoAnswered)
        {
            // The hub names an employee by extension and a client by E.164, as for the events (ExpectedCall.AnsweredBy).
            Check("answeredBy", history.AnsweredBy is null ? null : expected.AnsweredBy, CallComparer.NameOf(actual.AnsweredBy));
        }

        if (shape.HasRecordingLink)
        {
            Check("recordingUrl", expected.RecordingUrl, actual.RecordingUrl);
        }

        return diffs;
    }

    /// <summary>A call its events make whole: as <see cref="CallComparer"/> says, and not touched by the history.</summary>
    public static IReadOnlyList<string> Untouched(ExpectedCall expected, CallRecord actual, bool fromHistory) =>
        fromHistory ? [.. CallComparer.Differences(expected, actual), "fromHistory: expected false, got true"] : CallComparer.Differences(expected, actual);
}
