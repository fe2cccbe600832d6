using PbxHub.Calls;
using PbxHub.Simulation;

namespace PbxHub.Providers.Sipuni.Simulator;

internal sealed partial class SipuniScenarioGenerator
{
    /// <summary>Extension to extension (is_inner_call=1, both addresses internal); now and then unanswered.</summary>
    private static ExpectedCall InnerCall(ScenarioCall c)
    {
        var from = c.Script.Extension(c.NewExtension());
        var to = c.Script.Extension(c.NewExtension());
        c.Script.Call(c.Start, from, to, inner: true);
        var wait = c.Between(2, 20);
        if (c.Chance(0.2))
        {
            c.Script.HangUp(2, c.Start + wait, from, to, "NOANSWER", c.Start, null, c.EndExtras(false));
            return c.Expect(Directions.Internal, Outcomes.NoAnswer) with { Legs = 1, WaitSeconds = wait, ProviderResult = "NOANSWER" };
        }

        c.Script.Answer(c.Start + wait, from, to);
        var talk = c.Between(5, 200);
        c.Script.HangUp(2, c.Start + wait + talk, from, to, "ANSWER", c.Start, c.Start + wait, c.EndExtras(c.Chance(0.3)));
        return c.Expect(Directions.Internal, Outcomes.Answered) with
        {
            AnsweredBy = to.Short, EndedWith = to.Short, Legs = 1, WaitSeconds = wait, TalkSeconds = talk, ProviderResult = "ANSWER",
        };
    }

    /// <summary>
    /// A callback to a client: call_answer_timestamp equals or precedes the start. Event 3 gives the real
    /// answer time; without it the hub can only take the start.
    /// </summary>
    private static ExpectedCall CallbackCall(ScenarioCall c)
    {
        var ext = c.Script.Extension(c.NewExtension());
        var client = c.Dialled(c.Client);
        c.Script.Call(c.Start, ext, client, inner: false);
        var wait = c.Between(3, 25);
        var withAnswerEvent = c.Chance(0.7);
        if (withAnswerEvent)
        {
            c.Script.Answer(c.Start + wait, ext, client);
        }

        var talk = c.Between(5, 240);
        c.Script.HangUp(2, c.Start + wait + talk, ext, client, "ANSWER", c.Start, c.Start - c.Between(0, 3), c.EndExtras(c.Chance(0.7)));
        return c.Expect(Directions.Outbound, Outcomes.Answered) with
        {
            AnsweredBy = c.Client.E164, EndedWith = c.Client.E164, Legs = 1, ProviderResult = "ANSWER",
            WaitSeconds = withAnswerEvent ? wait : 0, TalkSeconds = withAnswerEvent ? talk : wait + talk,
        };
    }

    /// <summary>Event 2 never comes: the call stays ringing or active until the hub's sweeper closes it as incomplete.</summary>
    private static ExpectedCall LostCall(ScenarioCall c)
    {
        var caller = Arrive(c, c.Caller());
        var ext = c.Script.Extension(c.NewExtension());
        c.Script.Call(c.Start, caller, ext, inner: true);
        var expected = c.Expect(Directions.Inbound, null) with { Legs = 1 };
        if (c.Chance(0.6))
        {
            var wait = c.Between(3, 30);
            c.Script.Answer(c.Start + wait, caller, ext);
            expected = expected with { State = CallStates.Active, AnsweredBy = ext.Short, WaitSeconds = wait };
            return expected with { IfSwept = Swept(expected) with { EndedWith = ext.Short } };
        }

        // Swept unanswered, the call ends at its last event: the ring or its repeat a second later.
        var last = c.Script.Requests.Max(r => Seconds(r.Get("timestamp")));
        expected = expected with { State = CallStates.Ringing };
        return expected with { IfSwept = Swept(expected) with { WaitSeconds = (int)(last - c.Start) } };
    }

    /// <summary>Closed by the sweeper: an answered call stays answered, one never answered ends unknown.</summary>
    private static ExpectedCall Swept(ExpectedCall open) =>
        open with { State = CallStates.Ended, Outcome = open.AnsweredBy is null ? Outcomes.Unknown : Outcomes.Answered, Incomplete = true };

    private static long Seconds(string? timestamp)
    {
        var value = long.Parse(timestamp ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        return value > 100_000_000_000 ? value / 1000 : value;
    }
}
