using PbxHub.Calls;
using PbxHub.Simulation;

namespace PbxHub.Providers.HookType.Simulator;

/// <summary>The scenarios. Each writes its webhooks, then states the record they imply. Times are seconds after the call's start.</summary>
internal sealed partial class HookTypeScenarioGenerator
{
    /// <summary>CreateIncCall: the call reaches the company's number; Redirecting carries it with the 8 now and then.</summary>
    private static void Arrive(ScenarioCall c) =>
        c.Script.Hook("CreateIncCall", [("StartTime", c.Script.At(0)), .. c.Inbound(c.City), ("Redirecting", c.Chance(0.5) ? "8" + c.City : null)]);

    /// <summary>An attempt that was not answered; the spec's example has no StartTime, real traffic now and then does.</summary>
    private static void AttemptEnded(ScenarioCall c, Employee e, int rung, int ended) =>
        c.Script.Hook("AttemptIncCallEnd", [("StartTime", c.Chance(0.5) ? c.Script.At(rung) : null), ("EndTime", c.Script.At(ended)), .. c.Inbound(e.Raw)]);

    private static ExpectedCall Answered(ScenarioCall c, Employee by, int answered, int talk, int legs)
    {
        c.Script.Hook("ChangeIncCall", [("StartDuration", c.Script.At(answered)), .. c.Inbound(by.Raw)]);
        c.Script.Hook("EndIncCall", [
            ("StartTime", c.Chance(0.7) ? c.Script.At(0) : null), ("EndTime", c.Script.At(answered + talk)),
            .. c.Inbound(by.AtEnd(c)), ("Duration", HookTypeCallScript.Seconds(talk)), ("ResultCode", "200")]);
        return c.Expect(Directions.Inbound, Outcomes.Answered, "200") with
        {
            AnsweredBy = by.Id, EndedWith = by.Id, Legs = legs, WaitSeconds = answered, TalkSeconds = talk,
        };
    }

    /// <summary>Two or three employees rung at once; the second answers and the others' attempts end.</summary>
    private static ExpectedCall ParallelCall(ScenarioCall c)
    {
        Arrive(c);
        var rung = c.Between(1, 3);
        var employees = Enumerable.Range(0, c.Between(2, 3)).Select(_ => c.NewEmployee()).ToList();
        foreach (var e in employees)
        {
            c.Script.Hook("AttemptIncCallBegin", [("StartTime", c.Script.At(rung)), .. c.Inbound(e.Raw)]);
        }

        var answered = rung + c.Between(3, 30);
        foreach (var e in employees.Where((_, i) => i != 1))
        {
            AttemptEnded(c, e, rung, answered);
        }

        return Answered(c, employees[1], answered, c.Between(5, 300), employees.Count);
    }

    /// <summary>The first employee is rung and does not answer; then the second is rung and answers.</summary>
    private static ExpectedCall SequentialCall(ScenarioCall c)
    {
        Arrive(c);
        var (first, second) = (c.NewEmployee(), c.NewEmployee());
        var rung = c.Between(1, 3);
        c.Script.Hook("AttemptIncCallBegin", [("StartTime", c.Script.At(rung)), .. c.Inbound(first.Raw)]);
        var next = rung + c.Between(10, 25);
        AttemptEnded(c, first, rung, next);
        c.Script.Hook("AttemptIncCallBegin", [("StartTime", c.Script.At(next)), .. c.Inbound(second.Raw)]);
        return Answered(c, second, next + c.Between(2, 20), c.Between(5, 300), 2);
    }

    /// <summary>Nobody answers (rung together or one after another): MissedIncCall, the caller gave up (603-S) or missed (304).</summary>
    private static ExpectedCall MissedCall(ScenarioCall c)
    {
        Arrive(c);
        var (first, second) = (c.NewEmployee(), c.NewEmployee());
        var rung = c.Between(1, 3);
        int end;
        c.Script.Hook("AttemptIncCallBegin", [("StartTime", c.Script.At(rung)), .. c.Inbound(first.Raw)]);
        if (c.Chance(0.5))
        {
            c.Script.Hook("AttemptIncCallBegin", [("StartTime", c.Script.At(rung)), .. c.Inbound(second.Raw)]);
            end = rung + c.Between(5, 40);
            AttemptEnded(c, first, rung, end);
            AttemptEnded(c, second, rung, end);
        }
        else
        {
            var next = rung + c.Between(10, 25);
            AttemptEnded(c, first, rung, next);
            c.Script.Hook("AttemptIncCallBegin", [("StartTime", c.Script.At(next)), .. c.Inbound(second.Raw)]);
            end = next + c.Between(3, 25);
            AttemptEnded(c, second, next, end);
        }

        var code = c.Chance(0.5) ? "603-S" : "304";
        c.Script.Hook("MissedIncCall", [
            ("StartTime", c.Script.At(0)), ("EndTime", c.Script.At(end)), .. c.Inbound(c.Chance(0.5) ? "8" + c.City : c.City),
            ("Duration", "0"), ("ResultCode", code)]);
        return c.Expect(Directions.Inbound, Outcomes.Missed, code) with { Legs = 2, WaitSeconds = end };
    }

    /// <summary>An employee calls the client: CreateOutCall, then EndOutCall with the talk time.</summary>
    private static void Outbound(ScenarioCall c, Employee from, int end, int talk, string code)
    {
        (string, string?)[] parties = [("CityNumber", c.City), ("Caller", from.Raw), ("Called", c.Client.National)];
        c.Script.Hook("CreateOutCall", [("StartTime", c.Script.At(0)), .. parties]);
        c.Script.Hook("EndOutCall", [
            ("StartTime", c.Script.At(0)), ("EndTime", c.Script.At(end)),
            ("Duration", HookTypeCallScript.Seconds(talk)), ("ResultCode", code), .. parties]);
    }

    private static ExpectedCall OutboundAnsweredCall(ScenarioCall c)
    {
        var (wait, talk) = (c.Between(3, 30), c.Between(5, 300));
        Outbound(c, c.NewEmployee(), wait + talk, talk, "200");
        return c.Expect(Directions.Outbound, Outcomes.Answered, "200") with
        {
            AnsweredBy = c.Client.E164, EndedWith = c.Client.E164, Legs = 1, WaitSeconds = wait, TalkSeconds = talk,
        };
    }

    private static ExpectedCall OutboundBusyCall(ScenarioCall c)
    {
        var end = c.Between(2, 8);
        Outbound(c, c.NewEmployee(), end, 0, "486");
        return c.Expect(Directions.Outbound, Outcomes.Busy, "486") with { Legs = 1, WaitSeconds = end };
    }
}
