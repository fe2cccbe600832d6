using System.Globalization;

namespace PbxHub.Bench.Traffic;

/// <summary>
/// An endless, deterministic stream of Sipuni hook requests, call after call, each call's events in
/// the order Sipuni sends them: transfers shaped like the spec's example (7 events), answered and
/// missed inbound calls, outbound calls. Every call has a fresh call_id; numbers come in the
/// shapes real traffic has; most requests are GETs, some POST forms. Not thread-safe: one per sender.
/// </summary>
internal sealed class SipuniTraffic(int seed, long epoch)
{
    private const string UserNumber = "012345";
    private static long calls;

    private readonly Random random = new(seed);
    private readonly Queue<HookRequest> pending = new();

    public HookRequest Next()
    {
        if (pending.Count == 0)
        {
            WriteCall();
        }

        return pending.Dequeue();
    }

    private void WriteCall()
    {
        var n = Interlocked.Increment(ref calls);
        var callId = string.Create(CultureInfo.InvariantCulture, $"{epoch + (n / 1000)}.{n}");
        var t0 = epoch + random.Next(0, 3600);
        var kind = random.Next(100);
        if (kind < 25)
        {
            Transfer(callId, t0);
        }
        else if (kind < 60)
        {
            Answered(callId, t0);
        }
        else if (kind < 85)
        {
            Missed(callId, t0);
        }
        else
        {
            Outbound(callId, t0);
        }
    }

    /// <summary>The spec's example: line, ring 101, answer, ring 102, answer, 101 leaves (4), hang-up (2) with a recording.</summary>
    private void Transfer(string callId, long t0)
    {
        var w = Writer(callId, ExternalNumber(), 1, null);
        var (a, b) = (Extension(), Extension());
        w.Event(1, CompanyLine(), 1, t0);
        w.Event(1, a.Login, 2, t0, a.Short, ("is_inner_call", "1"));
        w.Event(3, a.Login, 2, t0 + 10, a.Short);
        w.Event(1, b.Login, 2, t0 + 20, b.Short, ("is_inner_call", "1"));
        w.Event(3, b.Login, 2, t0 + 30, b.Short);
        w.HangUp(4, b.Login, 2, t0 + 40, "ANSWER", t0, t0 + 40, shortDst: b.Short);
        w.HangUp(2, b.Login, 2, t0 + 50, "ANSWER", t0, t0 + 25, Recording(callId), b.Short);
    }

    private void Answered(string callId, long t0)
    {
        var w = Writer(callId, ExternalNumber(), 1, null);
        var a = Extension();
        var (wait, talk) = (random.Next(2, 30), random.Next(5, 600));
        w.Event(1, CompanyLine(), 1, t0, null, Tracking());
        w.Event(1, a.Login, 2, t0, a.Short, ("is_inner_call", "1"));
        w.Event(3, a.Login, 2, t0 + wait, a.Short);
        w.HangUp(2, a.Login, 2, t0 + wait + talk, "ANSWER", t0, t0 + wait, Recording(callId), a.Short);
    }

    private void Missed(string callId, long t0)
    {
        var w = Writer(callId, ExternalNumber(), 1, null);
        var a = Extension();
        var wait = random.Next(3, 60);
        w.Event(1, CompanyLine(), 1, t0, null, Tracking());
        w.Event(1, a.Login, 2, t0, a.Short, ("is_inner_call", "1"));
        w.HangUp(2, a.Login, 2, t0 + wait, random.Next(2) == 0 ? "NOANSWER" : "CANCEL", t0, 0, shortDst: a.Short);
    }

    private void Outbound(string callId, long t0)
    {
        var a = Extension();
        var w = Writer(callId, a.Login, 2, a.Short);
        var dst = ExternalNumber();
        w.Event(1, dst, 1, t0);
        if (random.Next(4) == 0)
        {
            w.HangUp(2, dst, 1, t0 + random.Next(1, 20), random.Next(2) == 0 ? "BUSY" : "CHANUNAVAIL", t0, 0);
            return;
        }

        var (wait, talk) = (random.Next(2, 30), random.Next(5, 900));
        w.Event(3, dst, 1, t0 + wait);
        w.HangUp(2, dst, 1, t0 + wait + talk, "ANSWER", t0, t0 + wait, Recording(callId));
    }

    private SipuniEventWriter Writer(string callId, string src, int srcType, string? shortSrc) =>
        new(callId, src, srcType, random.Next(3) == 0 ? shortSrc ?? src : null, pending, () => random.Next(100) < 15);

    /// <summary>Russian and Ukrainian numbers as PBXs send them: 8…, 7…, +7…, ten digits, formatted, 380….</summary>
    private string ExternalNumber()
    {
        var subscriber = random.Next(1_000_000, 10_000_000).ToString(CultureInfo.InvariantCulture);
        var code = Codes[random.Next(Codes.Length)];
        return random.Next(8) switch
        {
            0 or 1 => "8" + code + subscriber,
            2 or 3 => "7" + code + subscriber,
            4 => "+7" + code + subscriber,
            5 => code + subscriber,
            6 => $"8 ({code}) {subscriber[..3]}-{subscriber[3..5]}-{subscriber[5..]}",
            _ => "380" + UaCodes[random.Next(UaCodes.Length)] + subscriber,
        };
    }

    private string CompanyLine() => random.Next(4) switch
    {
        0 => "8499999999",
        1 => "74951112233",
        2 => "+74951112233",
        _ => "74951112233_id265648",
    };

    private (string Login, string? Short) Extension()
    {
        var shortNumber = (101 + random.Next(20)).ToString(CultureInfo.InvariantCulture);
        return (UserNumber + shortNumber, random.Next(2) == 0 ? shortNumber : null);
    }

    private string Recording(string callId) =>
        random.Next(3) == 0 ? $"ftp://myhost.info/account/frecords/{callId}.wav" : $"https://sipuni.com/api/crm/record?id={callId}&user=012345";

    private (string, string)[] Tracking() =>
        random.Next(10) == 0 ? [("roistat", random.Next(1000, 99999).ToString(CultureInfo.InvariantCulture)), ("roistat_number", "74951112233"), ("roistat_market", "google_cpc_brand_pbx")] : [];

    private static readonly string[] Codes = ["903", "916", "926", "955", "495", "499", "812", "343"];
    private static readonly string[] UaCodes = ["44", "50", "67", "93"];
}
