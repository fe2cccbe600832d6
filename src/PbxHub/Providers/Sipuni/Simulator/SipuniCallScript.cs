using System.Globalization;
using PbxHub.Simulation;

namespace PbxHub.Providers.Sipuni.Simulator;

/// <summary>An address as Sipuni sends it: the login or number, its type (1 external, 2 internal) and short form.</summary>
internal sealed record SipuniAddress(string Raw, int Type, string Short);

/// <summary>
/// Writes one call's Sipuni requests with the habits of real traffic (docs/providers/sipuni-dialect.md): GET or POST per request,
/// parameters in any order, short_src_num/short_dst_num on some integrations, milliseconds on others,
/// event 1 now and then repeated about a second later, and an <c>_id…</c> suffix on some logins (caller's or callee's).
/// </summary>
internal sealed class SipuniCallScript(string callId, string userNumber, Random random)
{
    private readonly List<HookRequest> requests = [];
    private readonly bool shortForms = random.NextDouble() < 0.5;
    private readonly bool milliseconds = random.NextDouble() < 0.1;

    public IReadOnlyList<HookRequest> Requests => requests;

    public SipuniAddress Extension(string shortNumber) => new(userNumber + shortNumber, 2, shortNumber);

    public static SipuniAddress External(string raw) => new(raw, 1, raw);

    /// <summary>Event 1; <paramref name="inner"/> sets is_inner_call=1 (ringing a party inside the PBX).</summary>
    public void Call(long at, SipuniAddress src, SipuniAddress dst, bool inner, params (string Name, string Value)[] extra)
    {
        (string, string)[] flags = inner ? [("is_inner_call", "1"), .. extra] : extra;
        Add(1, at, src, dst, flags);
        if (random.NextDouble() < 0.2)
        {
            Add(1, at + 1, src, dst, flags);
        }
    }

    public void Answer(long at, SipuniAddress src, SipuniAddress dst) => Add(3, at, src, dst);

    /// <summary>Event 2 (hang-up) or 4 (secondary hang-up); an unanswered call has call_answer_timestamp 0.</summary>
    public void HangUp(int eventType, long at, SipuniAddress src, SipuniAddress dst, string status, long start, long? answer,
        params (string Name, string Value)[] extra) =>
        Add(eventType, at, src, dst, [("status", status), ("call_start_timestamp", Time(start)),
            ("call_answer_timestamp", answer is { } a ? Time(a) : "0"), .. extra]);

    private void Add(int eventType, long at, SipuniAddress src, SipuniAddress dst, params (string Name, string Value)[] extra)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("event", eventType.ToString(CultureInfo.InvariantCulture)),
            new("call_id", callId),
            new("src_num", src.Type == 2 && random.NextDouble() < 0.1 ? src.Raw + LoginSuffix() : src.Raw),
            new("src_type", src.Type.ToString(CultureInfo.InvariantCulture)),
            new("dst_num", dst.Type == 2 && random.NextDouble() < 0.1 ? dst.Raw + LoginSuffix() : dst.Raw),
            new("dst_type", dst.Type.ToString(CultureInfo.InvariantCulture)),
            new("timestamp", Time(at)),
        };
        if (shortForms)
        {
            fields.Add(new("short_src_num", src.Short));
            fields.Add(new("short_dst_num", dst.Short));
        }

        fields.AddRange(extra.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
        var ordered = fields.ToArray();
        if (random.NextDouble() < 0.3)
        {
            random.Shuffle(ordered);
        }

        // Events 2 and 4 are the hang-ups (of the call or one of its legs): what --lose-mode hangups drops.
        requests.Add(new HookRequest(random.NextDouble() < 0.5 ? "GET" : "POST", ordered) { HangUp = eventType is 2 or 4 });
    }

    /// <summary>Logins, like numbers, now and then carry an <c>_id…</c> suffix, on some of a leg's events only.</summary>
    private string LoginSuffix() => "_id" + random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);

    private string Time(long unixSeconds) =>
        (milliseconds ? unixSeconds * 1000 : unixSeconds).ToString(CultureInfo.InvariantCulture);
}
