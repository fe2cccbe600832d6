using System.Globalization;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>Sipuni hook requests (docs/providers/sipuni-dialect.md) as query strings / form bodies, parameters in the document's order.</summary>
internal static class SipuniHooks
{
    public const string UserNumber = "012345";

    public static string Encode(params (string Key, string Value)[] fields) =>
        string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    public static string Ts(long unix) => unix.ToString(CultureInfo.InvariantCulture);

    /// <summary>Event 1 without is_inner_call: an external call arrives on the company line.</summary>
    public static string Arrival(string callId, string from, string line, long at) => Encode(
        ("event", "1"), ("call_id", callId), ("src_num", from), ("src_type", "1"), ("dst_num", line), ("dst_type", "1"), ("timestamp", Ts(at)));

    /// <summary>Event 1 with is_inner_call=1: an inbound call rings an extension (short number, e.g. 101).</summary>
    public static string Ring(string callId, string from, string extension, long at) => Encode(
        ("event", "1"), ("is_inner_call", "1"), ("call_id", callId), ("src_num", from), ("src_type", "1"),
        ("dst_num", UserNumber + extension), ("dst_type", "2"), ("timestamp", Ts(at)));

    /// <summary>Event 3: the extension answered.</summary>
    public static string Answer(string callId, string from, string extension, long at) => Encode(
        ("event", "3"), ("call_id", callId), ("src_num", from), ("src_type", "1"),
        ("dst_num", UserNumber + extension), ("dst_type", "2"), ("timestamp", Ts(at)));

    /// <summary>Event 2 for an inbound call on an extension.</summary>
    public static string HangUp(string callId, string from, string extension, string status, long start, long answer, long at) => Encode(
        ("event", "2"), ("call_id", callId), ("src_num", from), ("src_type", "1"),
        ("dst_num", UserNumber + extension), ("dst_type", "2"), ("call_start_timestamp", Ts(start)),
        ("call_answer_timestamp", Ts(answer)), ("timestamp", Ts(at)), ("status", status));

    /// <summary>Event 1 of an outbound call: an extension dials an external number.</summary>
    public static string OutboundStart(string callId, string extension, string to, long at) => Encode(
        ("event", "1"), ("call_id", callId), ("src_num", UserNumber + extension), ("src_type", "2"),
        ("dst_num", to), ("dst_type", "1"), ("timestamp", Ts(at)));

    /// <summary>Event 2 of an outbound call.</summary>
    public static string OutboundHangUp(string callId, string extension, string to, string status, long start, long answer, long at) => Encode(
        ("event", "2"), ("call_id", callId), ("src_num", UserNumber + extension), ("src_type", "2"),
        ("dst_num", to), ("dst_type", "1"), ("call_start_timestamp", Ts(start)),
        ("call_answer_timestamp", Ts(answer)), ("timestamp", Ts(at)), ("status", status));

    /// <summary>An inbound call answered by an extension: arrival, ring, answer, hang-up.</summary>
    public static string[] AnsweredInbound(string callId, string from, string line, string extension, long start, int wait = 5, int talk = 30) =>
    [
        Arrival(callId, from, line, start),
        Ring(callId, from, extension, start),
        Answer(callId, from, extension, start + wait),
        HangUp(callId, from, extension, "ANSWER", start, start + wait, start + wait + talk),
    ];

    /// <summary>An inbound call nobody answered.</summary>
    public static string[] MissedInbound(string callId, string from, string line, string extension, long start, int ring = 20) =>
    [
        Arrival(callId, from, line, start),
        Ring(callId, from, extension, start),
        HangUp(callId, from, extension, "NOANSWER", start, 0, start + ring),
    ];
}
