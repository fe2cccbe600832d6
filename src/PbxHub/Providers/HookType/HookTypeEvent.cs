namespace PbxHub.Providers.HookType;

/// <summary>One HookType webhook, its fields checked: times in UTC, Duration in seconds, ResultCode from the table.</summary>
/// <param name="At">When the event happened (see <see cref="HookTypeEventReader"/> for the field it comes from).</param>
internal sealed record HookTypeEvent(
    string Kind,
    string SessionId,
    DateTimeOffset At,
    DateTimeOffset? StartTime,
    DateTimeOffset? StartDuration,
    DateTimeOffset? EndTime,
    int? Duration,
    string? ResultCode,
    string? CityNumber,
    string? Caller,
    string? Called,
    string? Redirecting)
{
    public bool IsOutbound => Kind is HookTypeKinds.CreateOutCall or HookTypeKinds.EndOutCall;
}

internal static class HookTypeKinds
{
    public const string CreateIncCall = "CreateIncCall";
    public const string AttemptIncCallBegin = "AttemptIncCallBegin";
    public const string ChangeIncCall = "ChangeIncCall";
    public const string AttemptIncCallEnd = "AttemptIncCallEnd";
    public const string EndIncCall = "EndIncCall";
    public const string MissedIncCall = "MissedIncCall";
    public const string CreateOutCall = "CreateOutCall";
    public const string EndOutCall = "EndOutCall";

    public static readonly string[] All =
        [CreateIncCall, AttemptIncCallBegin, ChangeIncCall, AttemptIncCallEnd, EndIncCall, MissedIncCall, CreateOutCall, EndOutCall];

    /// <summary>The kinds whose own time is the end (EndTime); the others are dated by a start.</summary>
    public static bool IsEnd(string kind) => kind is AttemptIncCallEnd or EndIncCall or MissedIncCall or EndOutCall;

    public static string? Find(string name) => All.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Checks a HookType body. Only what leaves the event meaningless is refused: no SessionID, no or unknown
/// HookType, a time or Duration that is present but unreadable, a ResultCode outside the table, no time at all.
/// Fields the schema calls required but the event can do without (the spec's own examples omit StartTime)
/// are simply missing.
/// </summary>
internal static class HookTypeEventReader
{
    private const string TimeShape = "a time like 2019-02-26 23:46:52";

    public static (HookTypeEvent? Event, string? Problem) Read(HookTypeFields f, TimeZoneInfo zone)
    {
        if (f.Get("SessionID") is not { } sessionId)
        {
            return (null, "SessionID is missing");
        }

        if (f.Get("HookType") is not { } hookType)
        {
            return (null, "HookType is missing");
        }

        if (HookTypeKinds.Find(hookType) is not { } kind)
        {
            return (null, $"unknown HookType '{hookType}' (expected one of {string.Join(", ", HookTypeKinds.All)})");
        }

        var times = new Dictionary<string, DateTimeOffset?>();
        foreach (var name in (string[])["StartTime", "StartDuration", "EndTime"])
        {
            var text = f.Get(name);
            times[name] = LocalTimes.Parse(text, zone);
            if (text is not null && times[name] is null)
            {
                return (null, $"{name} '{text}' is not {TimeShape}");
            }
        }

        int? duration = null;
        if (f.Get("Duration") is { } durationText)
        {
            duration = HookTypeFields.Seconds(durationText);
            if (duration is null)
            {
                return (null, $"Duration '{durationText}' is not a number of seconds");
            }
        }

        string? resultCode = null;
        if (f.Get("ResultCode") is { } codeText)
        {
            resultCode = HookTypeResultCodes.Canonical(codeText);
            if (resultCode is null)
            {
                return (null, $"ResultCode '{codeText}' is not in the spec's table ({string.Join(", ", HookTypeResultCodes.Codes)})");
            }
        }

        var (start, answer, end) = (times["StartTime"], times["StartDuration"], times["EndTime"]);
        if (When(kind, start, answer, end, duration) is not { } at)
        {
            return (null, $"{kind} has no time: StartTime, StartDuration and EndTime are all missing");
        }

        return (new HookTypeEvent(
            kind, sessionId, at, start, answer, end, duration, resultCode,
            f.Get("CityNumber"), f.Get("Caller"), f.Get("Called"), f.Get("Redirecting")), null);
    }

    /// <summary>
    /// The event's own time: EndTime for the end events, StartDuration for ChangeIncCall, StartTime for the
    /// rest. An end event without EndTime ends no earlier than its talk: StartDuration + Duration, else
    /// StartTime + Duration. A start event without its own time takes whichever other time it has.
    /// </summary>
    private static DateTimeOffset? When(string kind, DateTimeOffset? start, DateTimeOffset? answer, DateTimeOffset? end, int? duration)
    {
        if (HookTypeKinds.IsEnd(kind))
        {
            return end ?? (answer ?? start)?.AddSeconds(duration ?? 0);
        }

        return kind == HookTypeKinds.ChangeIncCall ? answer ?? start ?? end : start ?? answer ?? end;
    }
}
