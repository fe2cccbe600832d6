using CsCheck;
using PbxHub.Calls;
using PbxHub.Providers.Sipuni.Simulator;
using PbxHub.Simulation;
using PbxHub.Tests.Simulation;

namespace PbxHub.Tests.Providers.Sipuni.Simulator;

public sealed class SipuniScenarioGeneratorTests
{
    private static readonly SipuniScenarioGenerator Generator = new("012345");

    public static TheoryData<string> Scenarios() => [.. Generator.Scenarios];

    private static SimulatedCall Generate(string scenario, int seed) =>
        Generator.Generate(scenario, seed, SipuniFolding.Now.AddMinutes(-10), new Random(seed));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Generate_EveryScenario_FoldsToExpectedRecord(string scenario)
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var call = Generate(scenario, seed);
            var record = SipuniFolding.Fold(call.ProviderCallId, call.Requests);
            Assert.Empty(CallComparer.Differences(call.Expected, record));
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Generate_ShuffledAndDuplicated_FoldsToSameExpectedRecord(string scenario)
    {
        Gen.Int.Sample(seed =>
        {
            var call = Generate(scenario, seed);
            var planned = TrafficPlanner.Deliver(call, new PlanOptions(scenario, 1, true, 0.5, seed), new Random(seed));
            var record = SipuniFolding.Fold(call.ProviderCallId, SipuniFolding.Expand(planned));
            return CallComparer.Differences(call.Expected, record).Count == 0;
        }, iter: 300);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Generate_ShuffledAndDuplicated_SameRecordAndEventIdsAsInOrder(string scenario)
    {
        Gen.Int.Sample(seed =>
        {
            var call = Generate(scenario, seed);
            var inOrder = SipuniFolding.Fold(call.ProviderCallId, call.Requests);
            var planned = TrafficPlanner.Deliver(call, new PlanOptions(scenario, 1, true, 0.5, seed), new Random(seed));
            var shuffled = SipuniFolding.Fold(call.ProviderCallId, SipuniFolding.Expand(planned));
            return CallJson.Serialize(inOrder) == CallJson.Serialize(shuffled)
                && CallEvents.Of(inOrder).Select(e => e.Id).SequenceEqual(CallEvents.Of(shuffled).Select(e => e.Id));
        }, iter: 200);
    }

    [Fact]
    public void Generate_LostSwept_FoldsToIncompleteExpectation()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var call = Generate(SipuniScenarioGenerator.Lost, seed);
            var record = SipuniFolding.Fold(call.ProviderCallId, call.Requests, timedOut: true);
            Assert.True(record.Incomplete);
            Assert.NotNull(call.Expected.IfSwept);
            Assert.Empty(CallComparer.Differences(call.Expected, record));
        }
    }

    [Fact]
    public void Generate_Lost_NeverSendsHangUp()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var call = Generate(SipuniScenarioGenerator.Lost, seed);
            Assert.DoesNotContain(call.Requests, r => r.Get("event") is "2" or "4");
            Assert.NotEqual(CallStates.Ended, call.Expected.State);
        }
    }

    [Fact]
    public void Generate_Transfer_FollowsSpecExampleSequence()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var call = Generate(SipuniScenarioGenerator.Transfer, seed);
            // A repeated event 1 is the same leg again; drop repeats to see the specification's sequence.
            // The line's events are its arrival (put back first) and, on some calls, its own hang-up, which the
            // document's example does not show; logins may carry an _id… suffix.
            var distinct = call.Requests.Where(r => r.Get("dst_type") == "2")
                .DistinctBy(r => (r.Get("event"), LoginOf(r), r.Get("event") == "1" ? null : r.Get("timestamp"))).ToList();
            distinct.Insert(0, call.Requests[0]);
            Assert.Equal(["1", "1", "3", "1", "3", "4", "2"], distinct.Select(r => r.Get("event")));
            Assert.Null(distinct[0].Get("is_inner_call"));
            Assert.Equal("1", distinct[1].Get("is_inner_call"));
            Assert.Equal("1", distinct[3].Get("is_inner_call"));
            Assert.All(distinct.Skip(1), r => Assert.StartsWith("012345", r.Get("dst_num"), StringComparison.Ordinal));
            Assert.NotNull(distinct[^1].Get("call_record_link"));
            // On the wire the link is URL-encoded (once, or twice by some senders), never bare.
            Assert.Matches("call_record_link=(https|ftp)%(25)?3A%(25)?2F", distinct[^1].Encoded);
        }
    }

    private static string? LoginOf(HookRequest r) => r.Get("dst_num") is { } dst && dst.IndexOf("_id", StringComparison.Ordinal) is > 0 and var i ? dst[..i] : r.Get("dst_num");

    [Fact]
    public void Generate_Inner_BothAddressesInternal()
    {
        var call = Generate(SipuniScenarioGenerator.Inner, 7);
        Assert.All(call.Requests, r =>
        {
            Assert.Equal("2", r.Get("src_type"));
            Assert.Equal("2", r.Get("dst_type"));
        });
        Assert.Equal("1", call.Requests[0].Get("is_inner_call"));
        Assert.Equal(Directions.Internal, call.Expected.Direction);
    }

    [Fact]
    public void Generate_Callback_AnswerTimestampNotAfterStart()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var hangUp = Generate(SipuniScenarioGenerator.Callback, seed).Requests.Single(r => r.Get("event") == "2");
            Assert.True(long.Parse(hangUp.Get("call_answer_timestamp")!, System.Globalization.CultureInfo.InvariantCulture)
                <= long.Parse(hangUp.Get("call_start_timestamp")!, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Generate_Busy_OutboundHangUpWithBusyStatus()
    {
        var call = Generate(SipuniScenarioGenerator.Busy, 3);
        var hangUp = call.Requests.Single(r => r.Get("event") == "2");
        Assert.Equal("BUSY", hangUp.Get("status"));
        Assert.Equal("2", hangUp.Get("src_type"));
        Assert.Equal("1", hangUp.Get("dst_type"));
        Assert.Equal(Outcomes.Busy, call.Expected.Outcome);
    }

    [Fact]
    public void Generate_ManyCalls_UseEveryQuirk()
    {
        var requests = Enumerable.Range(0, 300).SelectMany(i => Generate(Generator.Scenarios[i % Generator.Scenarios.Count], i).Requests).ToList();
        Assert.Contains(requests, r => r.Method == "GET");
        Assert.Contains(requests, r => r.Method == "POST");
        Assert.Contains(requests, r => r.Get("short_dst_num") is not null);
        Assert.Contains(requests, r => r.Get("dst_num")!.Contains("_id", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Get("dst_type") == "2" && r.Get("dst_num")!.Contains("_id", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Get("src_type") == "2" && r.Get("src_num")!.Contains("_id", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Get("event") == "2" && r.Get("dst_type") == "1" && r.Get("src_type") == "1");
        Assert.Contains(requests, r => r.Get("roistat") is not null);
        Assert.Contains(requests, r => r.Get("timestamp")!.Length == 13);
        Assert.Contains(requests, r => r.Get("src_num")!.StartsWith('+'));
        Assert.Contains(requests, r => r.Get("src_num")!.StartsWith('8') && r.Get("src_num")!.Length == 11);
        Assert.Contains(requests, r => r.Get("src_num")!.Length == 10);
        Assert.Contains(requests.GroupBy(r => r.Get("call_id")), g => g.Count(r => r.Get("event") == "1") > g.Select(r => r.Get("dst_num")).Distinct().Count());
        var lineEvents = requests.Where(r => r.Get("src_type") == "1" && r.Get("dst_type") == "1").GroupBy(r => r.Get("call_id")).ToList();
        // The line's arrival lost, its hang-up kept; and the hang-up writing the line otherwise than the arrival.
        Assert.Contains(lineEvents, g => g.All(r => r.Get("event") == "2"));
        Assert.Contains(lineEvents, g => g.Select(r => r.Get("dst_num")).Distinct().Count() > 1);
    }

    [Fact]
    public void Generate_UnknownScenario_Throws() =>
        Assert.Throws<ArgumentException>(() => Generate("nope", 1));
}
