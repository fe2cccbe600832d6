using System.Text;

namespace PbxHub.Bench.Traffic;

/// <summary>Writes the events of one Sipuni call: the fields every event carries, then each event's own.</summary>
internal sealed class SipuniEventWriter(string callId, string src, int srcType, string? shortSrc, Queue<HookRequest> output, Func<bool> post)
{
    public void Event(int type, string dst, int dstType, long timestamp, string? shortDst = null, params (string Name, string Value)[] extra)
    {
        var q = new StringBuilder(256);
        q.Append("event=").Append(type);
        foreach (var (name, value) in extra)
        {
            if (name == "is_inner_call")
            {
                Add(q, name, value);
            }
        }

        Add(q, "call_id", callId);
        Add(q, "src_num", src);
        Add(q, "src_type", srcType.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(q, "dst_num", dst);
        Add(q, "dst_type", dstType.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (shortSrc is not null)
        {
            Add(q, "short_src_num", shortSrc);
        }

        if (shortDst is not null)
        {
            Add(q, "short_dst_num", shortDst);
        }

        foreach (var (name, value) in extra)
        {
            if (name != "is_inner_call")
            {
                Add(q, name, value);
            }
        }

        Add(q, "timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.Enqueue(new HookRequest(post(), q.ToString()));
    }

    /// <summary>A hang-up (2) or secondary hang-up (4) with the call's start and answer times.</summary>
    public void HangUp(int type, string dst, int dstType, long timestamp, string status, long start, long answer, string? record = null, string? shortDst = null)
    {
        var fields = new List<(string, string)>
        {
            ("call_start_timestamp", start.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("call_answer_timestamp", answer.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("status", status),
        };
        if (record is not null)
        {
            fields.Add(("call_record_link", record));
        }

        Event(type, dst, dstType, timestamp, shortDst, [.. fields]);
    }

    private static void Add(StringBuilder q, string name, string value) =>
        q.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
}
