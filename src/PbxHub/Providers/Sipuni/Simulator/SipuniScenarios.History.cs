using PbxHub.Calls;
using PbxHub.Simulation;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Providers.Sipuni.Simulator;

/// <summary>Each call as Sipuni's own statistics keep it, for the history stand-in (docs/simulate.md).</summary>
internal sealed partial class SipuniScenarioGenerator
{
    /// <summary>A call that never ended by its events lasted this long after its answer in Sipuni's history.</summary>
    public const int UnendedTalkSeconds = 60;

    /// <summary>
    /// Sipuni's statistics name who answered; their recording column is an id, not the link the hooks carry; their status
    /// is answered or not answered only.
    /// </summary>
    public HistoryShape History { get; } = new(NamesWhoAnswered: true, HasRecordingLink: false, TellsOnlyWhetherAnswered: true);

    /// <summary>
    /// The call's row: the client and the line written as digits (E.164 without +), employees by short number, the
    /// times the events tell. Outbound calls name the client who answered, as the hooks do. A call the events never end
    /// (<see cref="Lost"/>) ended in Sipuni all the same: answered, <see cref="UnendedTalkSeconds"/> after its answer;
    /// unanswered, missed at its last ring. No random draw here: the traffic of a seed stays what it was.
    /// </summary>
    private static HistoryCall HistoryOf(ScenarioCall c, string callId, ExpectedCall expected)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(c.Start);
        var client = c.Client.E164.TrimStart('+');
        var (from, to, line) = expected.Direction switch
        {
            Directions.Inbound => (client, c.Line.E164.TrimStart('+'), c.Line.E164.TrimStart('+')),
            Directions.Outbound => (c.Extensions[0], client, (string?)null),
            _ => (c.Extensions[0], c.Extensions[1], (string?)null),
        };
        var answeredBy = expected.AnsweredBy is null ? null : expected.Direction == Directions.Outbound ? client : expected.AnsweredBy;
        DateTimeOffset? answeredAt = expected.AnsweredBy is null ? null : start.AddSeconds(expected.WaitSeconds);
        var (ended, outcome) = expected.State == CallStates.Ended
            ? (start.AddSeconds(expected.WaitSeconds + expected.TalkSeconds), expected.Outcome!)
            : answeredAt is { } answered
                ? (answered.AddSeconds(UnendedTalkSeconds), Outcomes.Answered)
                : (start.AddSeconds(expected.IfSwept!.WaitSeconds), Outcomes.Missed);
        return new HistoryCall(callId, expected.Direction, from, to, line, start, answeredAt, ended, outcome, answeredBy, expected.RecordingUrl);
    }
}
