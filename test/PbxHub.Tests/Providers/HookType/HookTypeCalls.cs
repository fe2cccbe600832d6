namespace PbxHub.Tests.Providers.HookType;

/// <summary>Whole calls as HookType sends them; times are Moscow wall clock (UTC+3).</summary>
internal static class HookTypeCalls
{
    private const string City = "4950665310";
    private const string Client = "9582412128";

    /// <summary>Two employees rung at once; the second answers, the first's attempt ends.</summary>
    public static string[] ParallelAnsweredBySecond(string s = "par-1") =>
    [
        HookTypeHooks.Hook(s, "CreateIncCall", ("StartTime", "2021-01-28 10:00:00"), ("CityNumber", City), ("Caller", Client), ("Called", City), ("Redirecting", "8" + City)),
        HookTypeHooks.Hook(s, "AttemptIncCallBegin", ("StartTime", "2021-01-28 10:00:02"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002651")),
        HookTypeHooks.Hook(s, "AttemptIncCallBegin", ("StartTime", "2021-01-28 10:00:02"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002642")),
        HookTypeHooks.Hook(s, "ChangeIncCall", ("StartDuration", "2021-01-28 10:00:09"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002642")),
        HookTypeHooks.Hook(s, "AttemptIncCallEnd", ("StartTime", "2021-01-28 10:00:02"), ("EndTime", "2021-01-28 10:00:09"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002651")),
        HookTypeHooks.Hook(s, "EndIncCall", ("StartTime", "2021-01-28 10:00:00"), ("EndTime", "2021-01-28 10:01:09"), ("CityNumber", City), ("Caller", Client), ("Called", "0052002642"), ("Duration", 60), ("ResultCode", "200")),
    ];

    /// <summary>The first employee is rung 15 s without answer, then the second, who answers.</summary>
    public static string[] Sequential(string s = "seq-1") =>
    [
        HookTypeHooks.Hook(s, "CreateIncCall", ("StartTime", "2021-01-28 10:00:00"), ("CityNumber", City), ("Caller", Client), ("Called", City)),
        HookTypeHooks.Hook(s, "AttemptIncCallBegin", ("StartTime", "2021-01-28 10:00:01"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002651")),
        HookTypeHooks.Hook(s, "AttemptIncCallEnd", ("StartTime", "2021-01-28 10:00:01"), ("EndTime", "2021-01-28 10:00:16"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002651")),
        HookTypeHooks.Hook(s, "AttemptIncCallBegin", ("StartTime", "2021-01-28 10:00:16"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002642")),
        HookTypeHooks.Hook(s, "ChangeIncCall", ("StartDuration", "2021-01-28 10:00:20"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002642")),
        HookTypeHooks.Hook(s, "EndIncCall", ("StartTime", "2021-01-28 10:00:00"), ("EndTime", "2021-01-28 10:00:50"), ("CityNumber", City), ("Caller", Client), ("Called", "0052002642"), ("Duration", "30"), ("ResultCode", 200)),
    ];

    /// <summary>Two employees rung at once for 21 s; nobody answers.</summary>
    public static string[] Missed(string s = "mis-1") =>
    [
        HookTypeHooks.Hook(s, "CreateIncCall", ("StartTime", "2021-01-28 10:00:00"), ("CityNumber", City), ("Caller", Client), ("Called", City)),
        HookTypeHooks.Hook(s, "AttemptIncCallBegin", ("StartTime", "2021-01-28 10:00:01"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002651")),
        HookTypeHooks.Hook(s, "AttemptIncCallBegin", ("StartTime", "2021-01-28 10:00:01"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002642")),
        HookTypeHooks.Hook(s, "AttemptIncCallEnd", ("EndTime", "2021-01-28 10:00:21"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002651")),
        HookTypeHooks.Hook(s, "AttemptIncCallEnd", ("EndTime", "2021-01-28 10:00:21"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002642")),
        HookTypeHooks.Hook(s, "MissedIncCall", ("StartTime", "2021-01-28 10:00:00"), ("EndTime", "2021-01-28 10:00:21"), ("CityNumber", City), ("Caller", Client), ("Called", "8" + City), ("Duration", 0), ("ResultCode", "304")),
    ];

    /// <summary>Employee 80052002651 calls 9161234567, who answers after 15 s and talks 45 s.</summary>
    public static string[] OutboundAnswered(string s = "out-1") =>
    [
        HookTypeHooks.Hook(s, "CreateOutCall", ("StartTime", "2021-01-28 10:00:00"), ("CityNumber", City), ("Caller", "80052002651"), ("Called", "9161234567")),
        HookTypeHooks.Hook(s, "EndOutCall", ("StartTime", "2021-01-28 10:00:00"), ("EndTime", "2021-01-28 10:01:00"), ("Duration", 45), ("ResultCode", 200), ("CityNumber", City), ("Caller", "80052002651"), ("Called", "9161234567")),
    ];

    /// <summary>Employee 80052002651 calls 9161234567, who is busy.</summary>
    public static string[] OutboundBusy(string s = "out-2") =>
    [
        HookTypeHooks.Hook(s, "CreateOutCall", ("StartTime", "2021-01-28 10:00:00"), ("CityNumber", City), ("Caller", "80052002651"), ("Called", "9161234567")),
        HookTypeHooks.Hook(s, "EndOutCall", ("StartTime", "2021-01-28 10:00:00"), ("EndTime", "2021-01-28 10:00:04"), ("Duration", "0"), ("ResultCode", "486"), ("CityNumber", City), ("Caller", "80052002651"), ("Called", "9161234567")),
    ];
}
