using PbxHub.Calls;
using PbxHub.Simulation;

namespace PbxHub.Providers.Sipuni.Simulator;

/// <summary>Calls with an event lost on the way or two hang-ups in one second (docs/providers/sipuni.md).</summary>
internal sealed partial class SipuniScenarioGenerator
{
    /// <summary>
    /// Event 3 is lost: only the line's hang-up (and, in the same second, now and then the leg's) says ANSWER; now and
    /// then the line's arrival is lost too.
    /// </summary>
    private static ExpectedCall AnswerLostCall(ScenarioCall c)
    {
        var caller = Arrive(c, c.Caller(), mayBeLost: true);
        var ext = c.Script.Extension(c.NewExtension());
        c.Script.Call(c.Start, caller, ext, inner: true);
        var answered = c.Start + c.Between(3, 30);
        var end = answered + c.Between(5, 300);
        if (c.Chance(0.5))
        {
            c.Script.HangUp(2, end, caller, ext, "ANSWER", c.Start, answered);
        }

        LineHangUp(c, caller, end, "ANSWER", answered, always: true, c.EndExtras(c.Chance(0.7)));
        return c.Expect(Directions.Inbound, Outcomes.Answered) with
        {
            AnsweredBy = ext.Short, EndedWith = ext.Short, Legs = 1, LegOutcomes = ExpectedCall.LegList([$"{ext.Short} answered"]),
            WaitSeconds = (int)(answered - c.Start), TalkSeconds = (int)(end - answered), ProviderResult = "ANSWER",
        };
    }

    /// <summary>
    /// A hang-up that is not the call's last is lost: the document's transfer without its event 4, parallel
    /// ringing without the CANCEL of the employee who did not answer, sequential ringing without the first NOANSWER;
    /// now and then the line's arrival is lost too. The final hang-up still ends the call.
    /// </summary>
    private static ExpectedCall HangUpLostCall(ScenarioCall c)
    {
        var caller = Arrive(c, c.Caller(), mayBeLost: true);
        var first = c.Script.Extension(c.NewExtension());
        var second = c.Script.Extension(c.NewExtension());
        c.Script.Call(c.Start, caller, first, inner: true);
        var shape = c.Between(0, 2); // 0: transfer without event 4; 1: parallel without CANCEL; 2: sequential without NOANSWER
        var firstAnswered = c.Start + c.Between(3, 20);
        long rung;
        if (shape == 0)
        {
            c.Script.Answer(firstAnswered, caller, first);
            rung = firstAnswered + c.Between(5, 60);
        }
        else
        {
            rung = shape == 1 ? c.Start : c.Start + c.Between(5, 60);
        }

        c.Script.Call(rung, caller, second, inner: true);
        var secondAnswered = rung + c.Between(2, 15);
        var end = secondAnswered + c.Between(5, 200);
        if (shape == 2 && c.Chance(0.5))
        {
            c.Script.HangUp(2, end, caller, second, "NOANSWER", c.Start, null, c.EndExtras(false));
            LineHangUp(c, caller, end, "NOANSWER", null);
            return c.Expect(Directions.Inbound, Outcomes.Missed) with
            {
                Legs = 2, LegOutcomes = ExpectedCall.LegList([$"{first.Short} cancelled", $"{second.Short} no_answer"]),
                WaitSeconds = (int)(end - c.Start), ProviderResult = "NOANSWER",
            };
        }

        c.Script.Answer(secondAnswered, caller, second);
        c.Script.HangUp(2, end, caller, second, "ANSWER", c.Start, secondAnswered, c.EndExtras(c.Chance(0.7)));
        var answered = shape == 0 ? firstAnswered : secondAnswered;
        LineHangUp(c, caller, end, "ANSWER", answered);
        return c.Expect(Directions.Inbound, Outcomes.Answered) with
        {
            AnsweredBy = shape == 0 ? first.Short : second.Short, EndedWith = second.Short, Legs = 2, Transfers = shape == 0 ? 1 : 0,
            LegOutcomes = ExpectedCall.LegList([$"{first.Short} {(shape == 0 ? Outcomes.Answered : Outcomes.Cancelled)}", $"{second.Short} answered"]),
            WaitSeconds = (int)(answered - c.Start), TalkSeconds = (int)(end - answered), ProviderResult = "ANSWER",
        };
    }

    /// <summary>The employee's hang-up and the line's, in one second, with statuses of their own.</summary>
    private static ExpectedCall SameSecondCall(ScenarioCall c)
    {
        var caller = Arrive(c, c.Caller());
        var ext = c.Script.Extension(c.NewExtension());
        var rung = c.Start + c.Between(0, 2);
        c.Script.Call(rung, caller, ext, inner: true);
        var end = rung + c.Between(1, 20);
        var (status, outcome) = c.Between(0, 2) switch
        {
            0 => ("BUSY", Outcomes.Busy),
            1 => ("CHANUNAVAIL", Outcomes.Unavailable),
            _ => ("NOANSWER", Outcomes.NoAnswer),
        };
        var lineStatus = c.Chance(0.5) ? status : "CANCEL";
        c.Script.HangUp(2, end, caller, ext, status, c.Start, null);
        LineHangUp(c, caller, end, lineStatus, null, always: true, c.EndExtras(false));
        return c.Expect(Directions.Inbound, Outcomes.Missed) with
        {
            Legs = 1, LegOutcomes = ExpectedCall.LegList([$"{ext.Short} {outcome}"]), WaitSeconds = (int)(end - c.Start), ProviderResult = lineStatus,
        };
    }

    /// <summary>The employee who answered rings a colleague who never answers, then finishes the call: no transfer.</summary>
    private static ExpectedCall ConsultCall(ScenarioCall c)
    {
        var caller = Arrive(c, c.Caller());
        var ext = c.Script.Extension(c.NewExtension());
        var colleague = c.Script.Extension(c.NewExtension());
        c.Script.Call(c.Start, caller, ext, inner: true);
        var answered = c.Start + c.Between(3, 20);
        c.Script.Answer(answered, caller, ext);
        var consult = answered + c.Between(5, 60);
        c.Script.Call(consult, caller, colleague, inner: true);
        var status = c.Chance(0.5) ? "NOANSWER" : "CANCEL";
        c.Script.HangUp(2, consult + c.Between(3, 30), caller, colleague, status, c.Start, null);
        var end = consult + c.Between(40, 200);
        c.Script.HangUp(2, end, caller, ext, "ANSWER", c.Start, answered, c.EndExtras(c.Chance(0.7)));
        LineHangUp(c, caller, end, "ANSWER", answered);
        return c.Expect(Directions.Inbound, Outcomes.Answered) with
        {
            AnsweredBy = ext.Short, EndedWith = ext.Short, Legs = 2, Transfers = 0,
            LegOutcomes = ExpectedCall.LegList([$"{ext.Short} answered", $"{colleague.Short} {SipuniOutcome(status)}"]),
            WaitSeconds = (int)(answered - c.Start), TalkSeconds = (int)(end - answered), ProviderResult = "ANSWER",
        };
    }

    private static string SipuniOutcome(string status) => status == "NOANSWER" ? Outcomes.NoAnswer : Outcomes.Cancelled;
}
