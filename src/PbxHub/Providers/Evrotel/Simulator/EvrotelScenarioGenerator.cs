using System.Globalization;
using PbxHub.Calls;
using PbxHub.Simulation;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Providers.Evrotel.Simulator;

/// <summary>
/// Evrotel calls shaped like the document and its real traffic (docs/providers/evrotel.md): inbound answered,
/// inbound missed (NO ANSWER), outbound answered and outbound busy, each a start and an end that carries
/// the id the hub answered to the start, now and then with the start retried. Evrotel authenticates by
/// its token in <c>Authorization</c>, and its call id is the hub's reply, so the call's
/// <see cref="SimulatedCall.ProviderCallId"/> comes from the sender. <paramref name="recordingBaseUrl"/> is
/// the account's <c>Evrotel:RecordingBaseUrl</c>, against which the hub resolves <c>recfile</c>.
/// </summary>
internal sealed class EvrotelScenarioGenerator(TimeZoneInfo zone, string? recordingBaseUrl) : IScenarioGenerator
{
    public const string UsualZone = Providers.Evrotel.EvrotelAdapter.UsualTimeZone;

    public const string InboundAnswered = "inbound-answered";
    public const string InboundMissed = "inbound-missed";
    public const string OutboundAnswered = "outbound-answered";
    public const string OutboundBusy = "outbound-busy";

    public string Provider => "evrotel";

    public IReadOnlyList<string> Scenarios { get; } = [InboundAnswered, InboundMissed, OutboundAnswered, OutboundBusy];

    public bool SecretInPath => false;

    /// <summary>Evrotel's statistics carry recfile but name nobody who answered; the events do not either.</summary>
    public HistoryShape History { get; } = new(NamesWhoAnswered: false, HasRecordingLink: true);

    /// <summary>Evrotel sends its token bare in <c>Authorization</c>: the secret the traffic is sent with is the account's token.</summary>
    public IReadOnlyDictionary<string, string> AccountSettings(string secret) => new Dictionary<string, string> { [Providers.Evrotel.EvrotelAdapter.TokenSetting] = secret };

    public SimulatedCall Generate(string scenario, int index, DateTimeOffset startedAt, Random random)
    {
        var script = new EvrotelCallScript(zone, DateTimeOffset.FromUnixTimeSeconds(startedAt.ToUnixTimeSeconds()), random);
        var client = UkrainianNumber.Mobile(random);
        var company = UkrainianNumber.CompanyLine(random);
        var retried = random.NextDouble() < 0.3;
        var wait = random.Next(3, 31);
        var talk = random.Next(5, 301);
        var (expected, history) = scenario switch
        {
            InboundAnswered => Answered(script, client.Shape(random), company.Shape(random), "i", wait, talk, retried),
            InboundMissed => Unanswered(script, client.Shape(random), company.Shape(random), "i", wait, "NO ANSWER", Outcomes.Missed, retried),
            OutboundAnswered => Answered(script, Caller(company, random), client.Shape(random), "o", wait, talk, retried),
            OutboundBusy => Unanswered(script, Caller(company, random), client.Shape(random), "o", random.Next(2, 9), "BUSY", Outcomes.Busy, retried),
            _ => throw new ArgumentException($"Unknown Evrotel scenario '{scenario}'.", nameof(scenario)),
        };
        return new SimulatedCall(scenario, HookRequest.Reply(EvrotelCallScript.StartReply), script.Requests, expected with { StartedAt = script.Start })
        {
            IdFromReply = EvrotelCallScript.StartReply,
            History = history,
        };
    }

    /// <summary>An outbound call comes from an employee's extension or from the company's number.</summary>
    private static string Caller(UkrainianNumber company, Random random) =>
        random.NextDouble() < 0.5 ? random.Next(101, 140).ToString(CultureInfo.InvariantCulture) : company.Shape(random);

    private (ExpectedCall, HistoryCall) Answered(EvrotelCallScript script, string a, string b, string direction, int wait, int talk, bool retried)
    {
        script.CallStarted(a, b, direction, retried);
        var recfile = script.RecordingPath();
        script.CallEnded(wait + talk, a, b, direction, talk, "ANSWERED", recfile);
        var expected = new ExpectedCall
        {
            Direction = Direction(direction), State = CallStates.Ended, Outcome = Outcomes.Answered, ProviderResult = "ANSWERED",
            WaitSeconds = wait, TalkSeconds = talk, RecordingUrl = Resolved(recfile),
        };
        return (expected, HistoryOf(script, a, b, direction, script.Start.AddSeconds(wait), wait + talk, Outcomes.Answered, recfile));
    }

    private static (ExpectedCall, HistoryCall) Unanswered(
        EvrotelCallScript script, string a, string b, string direction, int seconds, string disposition, string outcome, bool retried)
    {
        script.CallStarted(a, b, direction, retried);
        script.CallEnded(seconds, a, b, direction, 0, disposition, null);
        var expected = new ExpectedCall
        {
            Direction = Direction(direction), State = CallStates.Ended, Outcome = outcome, ProviderResult = disposition, WaitSeconds = seconds,
        };
        return (expected, HistoryOf(script, a, b, direction, null, seconds, outcome, null));
    }

    private static string Direction(string code) => code == "o" ? Directions.Outbound : Directions.Inbound;

    /// <summary>
    /// The call as Evrotel's statistics page keeps it (docs/simulate.md): numberA and numberB as the events wrote them,
    /// the company's number as the line, recfile as is. No call id: the events' id is the one the hub answered, which the
    /// statistics never knew.
    /// </summary>
    private static HistoryCall HistoryOf(
        EvrotelCallScript script, string a, string b, string direction, DateTimeOffset? answeredAt, int seconds, string outcome, string? recfile)
    {
        // An outbound call comes from an extension (three digits) or from the company's number.
        var line = direction == "i" ? b : a.Length > 3 ? a : null;
        return new HistoryCall("", Direction(direction), a, b, line, script.Start, answeredAt, script.Start.AddSeconds(seconds), outcome, null, recfile);
    }

    /// <summary>The link the hub makes of <c>recfile</c>: the path below the account's base URL, or the path alone without one.</summary>
    private string Resolved(string recfile) =>
        string.IsNullOrEmpty(recordingBaseUrl) ? recfile : recordingBaseUrl.TrimEnd('/') + "/" + recfile.TrimStart('/');
}
