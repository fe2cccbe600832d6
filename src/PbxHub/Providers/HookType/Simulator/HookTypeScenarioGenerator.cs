using System.Globalization;
using PbxHub.Calls;
using PbxHub.Simulation;

namespace PbxHub.Providers.HookType.Simulator;

/// <summary>
/// HookType calls shaped like the dialect and its real traffic (docs/providers/hooktype-dialect.md), each with the
/// record it must yield: parallel ringing answered by the second employee, sequential ringing, missed
/// (603-S or 304), outbound answered (200) and busy (486). Times are written in <paramref name="zone"/>,
/// which must be the account's, so the hub reads them back as the same instants.
/// </summary>
internal sealed partial class HookTypeScenarioGenerator(TimeZoneInfo zone) : IScenarioGenerator
{
    public const string UsualZone = Providers.HookType.HookTypeAdapter.UsualTimeZone;

    public const string Parallel = "parallel";
    public const string Sequential = "sequential";
    public const string Missed = "missed";
    public const string OutboundAnswered = "outbound-answered";
    public const string OutboundBusy = "outbound-busy";

    public string Provider => "hooktype";

    public IReadOnlyList<string> Scenarios { get; } = [Parallel, Sequential, Missed, OutboundAnswered, OutboundBusy];

    public SimulatedCall Generate(string scenario, int index, DateTimeOffset startedAt, Random random)
    {
        var sessionId = SessionId(index, random);
        var script = new HookTypeCallScript(sessionId, zone, DateTimeOffset.FromUnixTimeSeconds(startedAt.ToUnixTimeSeconds()), random);
        var c = new ScenarioCall(script, random);
        var expected = scenario switch
        {
            Parallel => ParallelCall(c),
            Sequential => SequentialCall(c),
            Missed => MissedCall(c),
            OutboundAnswered => OutboundAnsweredCall(c),
            OutboundBusy => OutboundBusyCall(c),
            _ => throw new ArgumentException($"Unknown HookType scenario '{scenario}'.", nameof(scenario)),
        };
        return new SimulatedCall(scenario, sessionId, script.Requests, expected with { StartedAt = script.Start });
    }

    /// <summary>A GUID like the spec's SessionIDs, its last group the call's index so ids never repeat within a run.</summary>
    private static string SessionId(int index, Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        var guid = new Guid(bytes).ToString("D", CultureInfo.InvariantCulture);
        return guid[..^8] + index.ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>What one call's scenario draws on: its script, random source and parties.</summary>
    private sealed class ScenarioCall(HookTypeCallScript script, Random random)
    {
        private readonly HashSet<string> employees = [];

        public HookTypeCallScript Script { get; } = script;

        /// <summary>The client: ten digits, no country code.</summary>
        public RussianNumber Client { get; } = RussianNumber.Mobile(random);

        /// <summary>The company's number the call came in on (CityNumber).</summary>
        public string City { get; } = RussianNumber.CompanyLine(random).National;

        public int Between(int min, int max) => random.Next(min, max + 1);

        public bool Chance(double p) => random.NextDouble() < p;

        /// <summary>
        /// A distinct employee id as <c>Called</c> carries it (<c>80052002651</c>, now and then the long
        /// <c>800774994086005</c> form); the hub knows the employee by the id without its leading 8.
        /// </summary>
        public Employee NewEmployee()
        {
            string raw;
            do
            {
                raw = Chance(0.8)
                    ? "8005200" + Between(0, 9999).ToString("D4", CultureInfo.InvariantCulture)
                    : "80077499408" + Between(0, 9999).ToString("D4", CultureInfo.InvariantCulture);
            }
            while (!employees.Add(raw));
            return new Employee(raw);
        }

        /// <summary>The inbound fields every event of the call carries after its own times.</summary>
        public (string, string?)[] Inbound(string called) => [("CityNumber", City), ("Caller", Client.National), ("Called", called)];

        public ExpectedCall Expect(string direction, string outcome, string code) => new()
        {
            Direction = direction,
            State = CallStates.Ended,
            Outcome = outcome,
            ProviderResult = code,
        };
    }

    /// <summary>An employee: the id as rung, and as the hub names them (the extension, without the 8).</summary>
    private sealed record Employee(string Raw)
    {
        public string Id => Raw[1..];

        /// <summary>EndIncCall names the employee without the leading 8 now and then (the spec's example does).</summary>
        public string AtEnd(ScenarioCall c) => c.Chance(0.5) ? Id : Raw;
    }
}
