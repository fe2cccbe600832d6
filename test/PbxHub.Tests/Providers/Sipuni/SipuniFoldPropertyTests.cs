using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;
using PbxHub.Calls;
using PbxHub.Providers.Sipuni.Simulator;
using PbxHub.Simulation;
using PbxHub.Tests.Simulation;

namespace PbxHub.Tests.Providers.Sipuni;

/// <summary>
/// Generated Sipuni calls with events lost at random, hang-ups squeezed into one second, numbers written every way
/// and logins decorated: whatever was lost, the record must be coherent, and it must not depend on how a number is written.
/// </summary>
public sealed partial class SipuniFoldPropertyTests
{
    private static readonly SipuniScenarioGenerator Generator = new("012345");

    /// <summary>A generated call, some of its requests lost, its times now and then squeezed so hang-ups share a second.</summary>
    private static readonly Gen<(string Scenario, IReadOnlyList<HookRequest> Sent)> Calls =
        from scenario in Gen.OneOfConst([.. Generator.Scenarios])
        from seed in Gen.Int
        from loss in Gen.Int[0, 3]
        from squeeze in Gen.OneOfConst(1, 1, 3, 10)
        select (scenario, Sent(scenario, seed, loss * 0.15, squeeze));

    private static IReadOnlyList<HookRequest> Sent(string scenario, int seed, double loss, int squeeze)
    {
        var random = new Random(seed);
        var call = Generator.Generate(scenario, seed, SipuniFolding.Now.AddMinutes(-10), random);
        var start = call.Expected.StartedAt!.Value.ToUnixTimeSeconds();
        var kept = call.Requests.Where(_ => random.NextDouble() >= loss).Select(r => Squeezed(r, start, squeeze)).ToList();
        return kept.Count > 0 ? kept : [call.Requests[0]];
    }

    [Fact]
    public void Fold_GeneratedCallsWithEventsLost_RecordCoherent() =>
        Calls.Sample(c =>
        {
            var record = SipuniFolding.Fold(c.Sent[0].Get("call_id")!, c.Sent);
            var problems = SipuniRecordInvariants.Problems(c.Sent, record);
            return problems.Count == 0 ? true : throw new Xunit.Sdk.XunitException($"{c.Scenario}: {string.Join("; ", problems)}");
        }, iter: 2000);

    [Fact]
    public void Fold_NumbersRespelledLoginsDecoratedExtensionsRenumbered_SameRecord() =>
        Calls.SelectMany(c => Gen.Int.Select(seed => (c.Scenario, c.Sent, Seed: seed))).Sample(c =>
        {
            var callId = c.Sent[0].Get("call_id")!;
            var random = new Random(c.Seed);
            var before = Shape(SipuniFolding.Fold(callId, c.Sent), renumbered: false);
            var after = Shape(SipuniFolding.Fold(callId, c.Sent.Select(r => Respelled(r, random))), renumbered: true);
            return before == after ? true : throw new Xunit.Sdk.XunitException($"{c.Scenario}:\n{before}\n{after}");
        }, iter: 1000);

    /// <summary>Every timestamp moved towards the start, <paramref name="factor"/> times closer: events a few seconds apart share one.</summary>
    private static HookRequest Squeezed(HookRequest r, long start, int factor) => factor == 1 ? r : r with
    {
        Fields = [.. r.Fields.Select(f => f.Key is "timestamp" or "call_start_timestamp" or "call_answer_timestamp" && f.Value != "0"
            ? KeyValuePair.Create(f.Key, Squeeze(f.Value, start, factor)) : f)],
    };

    private static string Squeeze(string value, long start, int factor)
    {
        var number = long.Parse(value, CultureInfo.InvariantCulture);
        var millis = number > 100_000_000_000;
        var seconds = millis ? number / 1000 : number;
        var squeezed = seconds <= start ? seconds : start + ((seconds - start) / factor);
        return (millis ? squeezed * 1000 : squeezed).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The same request as another integration could write it: external numbers in another of their shapes, logins
    /// with or without an <c>_id…</c> decoration, and every extension renumbered (1xx → 240 − 1xx) so that numbers
    /// that sorted first now sort last.
    /// </summary>
    private static HookRequest Respelled(HookRequest r, Random random) => r with
    {
        Fields = [.. r.Fields.Select(f => f.Key switch
        {
            "src_num" or "dst_num" when r.Get(f.Key[..3] + "_type") == "1" => KeyValuePair.Create(f.Key, Reshaped(f.Value, random)),
            "src_num" or "dst_num" => KeyValuePair.Create(f.Key, "012345" + Renumbered(Login(f.Value)[6..]) + (random.Next(2) == 0 ? "_id" + random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture) : "")),
            "short_src_num" or "short_dst_num" when r.Get(f.Key[6..9] + "_type") == "2" => KeyValuePair.Create(f.Key, Renumbered(f.Value)),
            _ => f,
        })],
    };

    private static string Login(string value) => IdSuffix().Replace(value, "");

    private static string Renumbered(string extension) =>
        (240 - int.Parse(extension, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);

    private static string Reshaped(string value, Random random)
    {
        var suffix = value.IndexOf('_', StringComparison.Ordinal) is >= 0 and var i ? value[i..] : "";
        var digits = new string(value.Where(char.IsAsciiDigit).Take(value.Length - suffix.Length).ToArray());
        return new RussianNumber(digits[^10..]).Shape(random) + suffix;
    }

    /// <summary>What the record says, parties by extension or number (raw texts differ by design), extensions mapped back.</summary>
    private static string Shape(CallRecord r, bool renumbered)
    {
        string Name(Party? p) => p is null ? "-" : p.Extension is { } e ? "ext:" + (renumbered ? Renumbered(e) : e) : p.Number ?? "raw";
        static string? Sec(DateTimeOffset? t) => t?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var legs = r.Legs.Select(l => $"{Name(l.Party)}[{Sec(l.StartedAt)}/{Sec(l.AnsweredAt)}/{Sec(l.EndedAt)}/{l.Outcome}]").Order(StringComparer.Ordinal);
        var transfers = r.Transfers.Select(t => $"{Name(t.From)}>{Name(t.To)}@{Sec(t.At)}").Order(StringComparer.Ordinal);
        return string.Join(" | ", r.Direction, r.State, r.Outcome, Sec(r.StartedAt), Sec(r.AnsweredAt), Sec(r.EndedAt), r.WaitSeconds, r.TalkSeconds,
            Name(r.From), Name(r.Line), Name(r.AnsweredBy), Name(r.EndedWith), r.ProviderResult, r.Incomplete, string.Join(",", legs), string.Join(",", transfers));
    }

    [GeneratedRegex("_id[0-9]+$")]
    private static partial Regex IdSuffix();
}
