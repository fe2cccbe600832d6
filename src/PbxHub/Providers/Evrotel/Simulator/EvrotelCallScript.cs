using System.Globalization;
using PbxHub.Simulation;

namespace PbxHub.Providers.Evrotel.Simulator;

/// <summary>
/// Writes one call's Evrotel events as its transmitter posts them (docs/providers/evrotel.md): JSON as the
/// document says or <c>http_build_query</c> form data as its sender does (chosen per request), the date
/// under <c>date</c> (real traffic) or <c>calldate</c> (the document), billsec as a string or an int,
/// and on a JSON start the end's fields present as null. The end carries the call id the hub answered to
/// the start: a <see cref="HookRequest.Reply"/> placeholder until it is sent.
/// </summary>
internal sealed class EvrotelCallScript(TimeZoneInfo zone, DateTimeOffset start, Random random)
{
    public const string StartReply = "start";

    private readonly List<HookRequest> requests = [];
    private readonly string dateKey = random.NextDouble() < 0.7 ? "date" : "calldate";

    public IReadOnlyList<HookRequest> Requests => requests;

    public DateTimeOffset Start { get; } = start;

    /// <summary>The start; Evrotel retries one that was answered slowly, and the retry must get the same id.</summary>
    public void CallStarted(string numberA, string numberB, string direction, bool retried)
    {
        var json = Json();
        var fields = Fields(("callstatus", "start"), (dateKey, At(0)), ("numberA", numberA), ("numberB", numberB), ("direction", direction));
        var request = new HookRequest("POST", fields)
        {
            Body = json ? HookBody.Json : HookBody.Form,
            JsonNulls = json && random.NextDouble() < 0.5 ? ["billsec", "disposition", "recfile"] : [],
            RepliesAs = StartReply,
        };
        requests.Add(request);
        if (retried)
        {
            requests.Add(request);
        }
    }

    /// <summary>The end, <paramref name="seconds"/> after the start; it may repeat the start's numbers, as the document's sender does.</summary>
    public void CallEnded(int seconds, string numberA, string numberB, string direction, int billsec, string disposition, string? recfile)
    {
        var json = Json();
        var numbers = random.NextDouble() < 0.3 ? new[] { ("numberA", numberA), ("numberB", numberB) } : [];
        var fields = Fields([
            ("callstatus", "end"), (dateKey, At(seconds)), .. numbers, ("callid", HookRequest.Reply(StartReply)), ("direction", direction),
            ("billsec", billsec.ToString(CultureInfo.InvariantCulture)), ("disposition", disposition), .. recfile is null ? [] : new[] { ("recfile", recfile) }]);
        requests.Add(new HookRequest("POST", fields)
        {
            Body = json ? HookBody.Json : HookBody.Form,
            // billsec was an int before 2018-05-25 and a string since; a sender that stored the call id as an integer sends it back as one.
            JsonNumbers = [.. (random.NextDouble() < 0.5 ? ["billsec"] : Array.Empty<string>()), .. (random.NextDouble() < 0.5 ? ["callid"] : Array.Empty<string>())],
            JsonNulls = json && recfile is null && random.NextDouble() < 0.5 ? ["recfile"] : [],
            Needs = StartReply,
            HangUp = true,
        });
    }

    /// <summary>A recording path like the document's <c>/wav/9/2018-04-01/1522566805.1461640-1198614775.wav</c>.</summary>
    public string RecordingPath()
    {
        var day = TimeZoneInfo.ConvertTime(Start, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"/wav/{random.Next(1, 10)}/{day}/{Start.ToUnixTimeSeconds()}.{random.Next(1_000_000, 9_999_999)}-{random.Next(1_000_000_000, int.MaxValue)}.wav");
    }

    private bool Json() => random.NextDouble() < 0.5;

    private string At(int seconds) =>
        TimeZoneInfo.ConvertTime(Start.AddSeconds(seconds), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static List<KeyValuePair<string, string>> Fields(params (string Name, string Value)[] fields) =>
        [.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))];
}
