using PbxHub.Calls;
using PbxHub.Simulation;

namespace PbxHub.Providers.Sipuni.Simulator;

/// <summary>The scenarios. Each writes its events, then states the record they imply (expected after the events).</summary>
internal sealed partial class SipuniScenarioGenerator
{
    /// <summary>
    /// The call arrives on the company line (event 1 without is_inner_call, dst = the line). In the scenarios that
    /// lose events, the arrival itself is now and then lost: the line's hang-up must still be read as the line's.
    /// </summary>
    private static SipuniAddress Arrive(ScenarioCall c, SipuniAddress caller, bool mayBeLost = false)
    {
        c.LineAddress = c.Dialled(c.Line);
        if (!mayBeLost || !c.Chance(0.2))
        {
            c.Script.Call(c.Start, caller, c.LineAddress, inner: false, c.ArrivalTracking());
        }

        return caller;
    }

    /// <summary>
    /// The line's own event 2 (the document wants a hang-up for every event 1), sent by some calls in the
    /// second of the last leg's hang-up: the record must depend neither on which of the two is read first nor on
    /// how the line is written.
    /// </summary>
    private static void LineHangUp(ScenarioCall c, SipuniAddress caller, long at, string status, long? answer, bool always = false,
        params (string Name, string Value)[] extra)
    {
        if (always || c.Chance(0.5))
        {
            // Numbers come with and without +: the hang-up may write the line otherwise than the arrival did.
            var line = c.Chance(0.3) ? SipuniCallScript.External(c.Line.Shape(c.Random)) : c.LineAddress!;
            c.Script.HangUp(2, at, caller, line, status, c.Start, answer, extra);
        }
    }

    private static ExpectedCall AnsweredCall(ScenarioCall c)
    {
        var caller = Arrive(c, c.Caller());
        var ext = c.Script.Extension(c.NewExtension());
        c.Script.Call(c.Start, caller, ext, inner: true);
        var answered = c.Start + c.Between(3, 30);
        c.Script.Answer(answered, caller, ext);
        var end = answered + c.Between(5, 300);
        c.Script.HangUp(2, end, caller, ext, "ANSWER", c.Start, answered, c.EndExtras(c.Chance(0.7)));
        LineHangUp(c, caller, end, "ANSWER", answered);
        return c.Expect(Directions.Inbound, Outcomes.Answered) with
        {
            AnsweredBy = ext.Short, EndedWith = ext.Short, Legs = 1,
            WaitSeconds = (int)(answered - c.Start), TalkSeconds = (int)(end - answered), ProviderResult = "ANSWER",
        };
    }

    /// <summary>Nobody answers: employees rung together or one after another, each leg hung up with the same status.</summary>
    private static ExpectedCall MissedCall(ScenarioCall c)
    {
        var caller = Arrive(c, c.Caller());
        var status = c.Chance(0.5) ? "NOANSWER" : "CANCEL";
        var first = c.Script.Extension(c.NewExtension());
        var second = c.Script.Extension(c.NewExtension());
        long end;
        c.Script.Call(c.Start, caller, first, inner: true);
        if (c.Chance(0.5))
        {
            c.Script.Call(c.Start, caller, second, inner: true);
            end = c.Start + c.Between(5, 40);
            c.Script.HangUp(2, end, caller, first, status, c.Start, null);
            c.Script.HangUp(2, end, caller, second, status, c.Start, null, c.EndExtras(false));
        }
        else
        {
            var next = c.Start + c.Between(5, 20);
            c.Script.HangUp(2, next, caller, first, "NOANSWER", c.Start, null);
            c.Script.Call(next, caller, second, inner: true);
            end = next + c.Between(3, 20);
            c.Script.HangUp(2, end, caller, second, status, c.Start, null, c.EndExtras(false));
        }

        LineHangUp(c, caller, end, status, null);
        return c.Expect(Directions.Inbound, Outcomes.Missed) with
        {
            Legs = 2, WaitSeconds = (int)(end - c.Start), ProviderResult = status,
        };
    }

    /// <summary>An employee dials out and the number is busy.</summary>
    private static ExpectedCall BusyCall(ScenarioCall c)
    {
        var ext = c.Script.Extension(c.NewExtension());
        var dialled = c.Dialled(c.Client);
        c.Script.Call(c.Start, ext, dialled, inner: false);
        var end = c.Start + c.Between(2, 8);
        c.Script.HangUp(2, end, ext, dialled, "BUSY", c.Start, null, c.EndExtras(false));
        return c.Expect(Directions.Outbound, Outcomes.Busy) with
        {
            Legs = 1, WaitSeconds = (int)(end - c.Start), ProviderResult = "BUSY",
        };
    }

    /// <summary>The specification's example: 101 answers, consults 102, hangs up (event 4), 102 finishes the call.</summary>
    private static ExpectedCall TransferCall(ScenarioCall c)
    {
        var caller = Arrive(c, c.Caller());
        var from = c.Script.Extension(c.NewExtension());
        var to = c.Script.Extension(c.NewExtension());
        c.Script.Call(c.Start, caller, from, inner: true);
        var answered = c.Start + c.Between(3, 20);
        c.Script.Answer(answered, caller, from);
        var consult = answered + c.Between(5, 60);
        c.Script.Call(consult, caller, to, inner: true);
        var consultAnswered = consult + c.Between(2, 15);
        c.Script.Answer(consultAnswered, caller, to);
        var handedOver = consultAnswered + c.Between(2, 30);
        c.Script.HangUp(4, handedOver, caller, to, "ANSWER", c.Start, handedOver);
        var end = handedOver + c.Between(5, 200);
        // The example's call_answer_timestamp (…025) matches no event: the answer times of events 3 are the real ones.
        c.Script.HangUp(2, end, caller, to, "ANSWER", c.Start, answered + 15, c.EndExtras(true));
        LineHangUp(c, caller, end, "ANSWER", answered);
        return c.Expect(Directions.Inbound, Outcomes.Answered) with
        {
            AnsweredBy = from.Short, EndedWith = to.Short, Legs = 2, Transfers = 1,
            WaitSeconds = (int)(answered - c.Start), TalkSeconds = (int)(end - answered), ProviderResult = "ANSWER",
        };
    }
}
