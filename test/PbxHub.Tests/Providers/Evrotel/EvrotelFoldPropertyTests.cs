using System.Globalization;
using CsCheck;
using PbxHub.Calls;

namespace PbxHub.Tests.Providers.Evrotel;

/// <summary>Evrotel delivers at least once and in any order: the record must not depend on it.</summary>
public sealed class EvrotelFoldPropertyTests
{
    [Fact]
    public void Fold_StartRetriedStartAndEndInAnyOrderEachPossiblyDoubled_SameRecordAndEventIds()
    {
        var start = EvrotelKit.Fixture("start.json");
        var retriedAsForm = EvrotelKit.Fixture("start.form");
        var end = EvrotelKit.EndFor(start);
        var reference = EvrotelKit.Fold([start, end]);
        var expected = CallJson.Serialize(reference);
        var expectedIds = CallEvents.Of(reference).Select(e => e.Id).ToList();
        string[] events = [start, retriedAsForm, end];

        Gen.Bool.Array[3]
            .SelectMany(doubled => Gen.Shuffle(events.Concat(events.Where((_, i) => doubled[i])).ToArray()))
            .Sample(order =>
            {
                var call = EvrotelKit.Fold(order);
                return CallJson.Serialize(call) == expected && CallEvents.Of(call).Select(e => e.Id).SequenceEqual(expectedIds);
            }, iter: 300);
        Assert.False(reference.Incomplete);
        Assert.Equal("answered", reference.Outcome);
    }

    [Fact]
    public void Parse_AnyStartAsJsonOrAsForm_SameCallIdAndDedupeKey()
    {
        var gen =
            from a in Gen.Long[380_000_000_000, 380_999_999_999]
            from b in Gen.Int[100, 999]
            from seconds in Gen.Int[0, 400_000_000]
            from inbound in Gen.Bool
            select (A: a.ToString(CultureInfo.InvariantCulture), B: b.ToString(CultureInfo.InvariantCulture),
                At: new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Direction: inbound ? "i" : "o");

        gen.Sample(f =>
        {
            var json = EvrotelKit.Parsed($$"""{"callstatus":"start","date":"{{f.At}}","numberA":"{{f.A}}","numberB":"{{f.B}}","direction":"{{f.Direction}}"}""");
            var form = EvrotelKit.Parsed($"direction={f.Direction}&numberB={f.B}&numberA={f.A}&date={Uri.EscapeDataString(f.At).Replace("%20", "+", StringComparison.Ordinal)}&callstatus=start");
            return json.CallKey == form.CallKey && json.DedupeKey == form.DedupeKey && json.Signals.SequenceEqual(form.Signals)
                && long.Parse(json.CallKey, CultureInfo.InvariantCulture) is >= 100_000_000_000_000 and < 1L << 53;
        }, iter: 300);
    }
}
