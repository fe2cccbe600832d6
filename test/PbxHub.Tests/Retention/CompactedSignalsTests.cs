using PbxHub.Calls;
using PbxHub.Providers.HookType.Simulator;
using PbxHub.Providers.Sipuni.Simulator;
using PbxHub.Retention;
using PbxHub.Simulation;
using PbxHub.Tests.Simulation;

namespace PbxHub.Tests.Retention;

/// <summary>A pruned call's signals, written and read back, fold to the very record its raw requests did.</summary>
public sealed class CompactedSignalsTests
{
    private static readonly DateTimeOffset At = new(2024, 5, 1, 15, 0, 0, 123, TimeSpan.FromHours(3));

    private static string FoldJson(IEnumerable<CallSignal> signals) =>
        CallJson.Serialize(CallFold.Fold(new CallIdentity("c1", "acme", "sipuni", "k1", At), signals));

    [Fact]
    public void ReadWrite_EverySignalType_SameSignalsBack()
    {
        var party = new Party("8955555555", "+78955555555", null);
        var extension = new Party("101", null, "101");
        List<CallSignal> signals =
        [
            new CallSeen(At, "inbound", party, extension, new Party("74951234567", "+74951234567", null), 0),
            new LegRinging(At.AddTicks(1), extension),
            new LegAnswered(At.AddSeconds(5), extension),
            new HandedOver(At.AddSeconds(6), party),
            new LegEnded(At.AddSeconds(7), extension, "answered", "ANSWER", At, null),
            new HangUpEndsCall(At.AddSeconds(7), extension),
            new CallEnded(At.AddSeconds(9), "answered", "ANSWER", 40),
            new RecordingKnown(At, "ftp://myhost.info/account/frecords/354435435436.wav"),
            new TrackingKnown(At, new Tracking("v1", null, "m", "g")),
            new StartRequired(At),
            new CallEndAwaited(At),
            new TimedOut(At.ToUniversalTime()),
            new RecordingSettled(At.AddMinutes(1), new Recording("kept", "/api/v1/calls/c1/recording", "audio/wav", 32044, 2, "ab", At.AddMinutes(1), null)),
            new HistoryReported(At.AddMinutes(30), new PbxHub.Reconciliation.HistoryFacts(
                "inbound", party, null, extension, At, At.AddSeconds(5), At.AddSeconds(9), "answered", 4, extension, "ANSWER", null)),
        ];
        var types = typeof(CallSignal).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CallSignal)) && !t.IsAbstract).ToHashSet();
        Assert.Equal(types, signals.Select(s => s.GetType()).ToHashSet());

        var back = CompactedSignals.Read(CompactedSignals.Write(signals));

        Assert.Equal(signals, back);
        Assert.Equal(signals.Select(s => s.At.Offset), back.Select(s => s.At.Offset));
    }

    [Fact]
    public void ReadWrite_GeneratedSipuniAndHookTypeCalls_FoldToSameRecord()
    {
        var sipuni = new SipuniScenarioGenerator(SipuniHooks.UserNumber);
        var hookType = new HookTypeScenarioGenerator(TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"));
        var checkedCalls = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            foreach (var scenario in sipuni.Scenarios)
            {
                var call = sipuni.Generate(scenario, seed, SipuniFolding.Now, new Random(seed));
                AssertSameFold(call.Requests.SelectMany(r => SipuniFolding.Parse(r).Signals).ToList());
                checkedCalls++;
            }

            foreach (var scenario in hookType.Scenarios)
            {
                var call = hookType.Generate(scenario, seed, SipuniFolding.Now, new Random(seed));
                AssertSameFold(call.Requests.SelectMany(r => ProviderFolding.HookType.Parse(r).Signals).ToList());
                checkedCalls++;
            }
        }

        Assert.True(checkedCalls > 100);
    }

    private static void AssertSameFold(IReadOnlyList<CallSignal> signals) =>
        Assert.Equal(FoldJson(signals), FoldJson(CompactedSignals.Read(CompactedSignals.Write(signals))));
}

file static class SipuniHooks
{
    public const string UserNumber = "012345";
}
