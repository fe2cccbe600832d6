using System.Globalization;
using PbxHub.Calls;
using PbxHub.Simulation;

namespace PbxHub.Providers.Sipuni.Simulator;

/// <summary>
/// Sipuni calls shaped like the dialect and its real traffic (docs/providers/sipuni-dialect.md), each with the
/// record it must yield. Times are Unix seconds; a scenario's gaps are long enough that a repeated
/// event 1 (one second later) never overtakes the event that follows it.
/// </summary>
/// <param name="recordingServer">The simulator's recording server (<c>--serve-recordings</c>): links point there instead of Sipuni's.</param>
internal sealed partial class SipuniScenarioGenerator(string userNumber, string? recordingServer = null) : IScenarioGenerator
{
    public const string Answered = "answered";
    public const string Missed = "missed";
    public const string Busy = "busy";
    public const string Transfer = "transfer";
    public const string Inner = "inner";
    public const string Callback = "callback";
    public const string Lost = "lost";
    public const string AnswerLost = "answer-lost";
    public const string HangUpLost = "hangup-lost";
    public const string SameSecond = "same-second";
    public const string Consult = "consult";

    public string Provider => "sipuni";

    public IReadOnlyList<string> Scenarios { get; } = [Answered, Missed, Busy, Transfer, Inner, Callback, Lost, AnswerLost, HangUpLost, SameSecond, Consult];

    public IReadOnlyDictionary<string, string> AccountSettings(string secret) => new Dictionary<string, string> { ["Sipuni:UserNumber"] = userNumber };

    public SimulatedCall Generate(string scenario, int index, DateTimeOffset startedAt, Random random)
    {
        var start = startedAt.ToUnixTimeSeconds();
        // Sipuni's ids look like 1419783130.15593: the start time and a counter.
        var callId = string.Create(CultureInfo.InvariantCulture, $"{start}.{10_000 + index}");
        var c = new ScenarioCall(new SipuniCallScript(callId, userNumber, random), random, start, recordingServer);
        var expected = scenario switch
        {
            Answered => AnsweredCall(c),
            Missed => MissedCall(c),
            Busy => BusyCall(c),
            Transfer => TransferCall(c),
            Inner => InnerCall(c),
            Callback => CallbackCall(c),
            Lost => LostCall(c),
            AnswerLost => AnswerLostCall(c),
            HangUpLost => HangUpLostCall(c),
            SameSecond => SameSecondCall(c),
            Consult => ConsultCall(c),
            _ => throw new ArgumentException($"Unknown Sipuni scenario '{scenario}'.", nameof(scenario)),
        };
        expected = expected with { StartedAt = DateTimeOffset.FromUnixTimeSeconds(start) };
        return new SimulatedCall(scenario, callId, c.Script.Requests, expected) { History = HistoryOf(c, callId, expected) };
    }

    /// <summary>What one call's scenario draws on: its script, random source, start and parties.</summary>
    private sealed class ScenarioCall(SipuniCallScript script, Random random, long start, string? recordingServer)
    {
        private readonly List<string> usedExtensions = [];

        public SipuniCallScript Script { get; } = script;
        public Random Random { get; } = random;
        public long Start { get; } = start;
        public RussianNumber Client { get; } = RussianNumber.Mobile(random);
        public RussianNumber Line { get; } = RussianNumber.CompanyLine(random);

        /// <summary>The company line as the call's arrival wrote it (its hang-up names it the same way).</summary>
        public SipuniAddress? LineAddress { get; set; }

        /// <summary>Roistat's visit id when call tracking followed this caller (only some calls).</summary>
        public string? Visit { get; } = random.NextDouble() < 0.25 ? random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture) : null;

        public int Between(int min, int max) => Random.Next(min, max + 1);

        public bool Chance(double p) => Random.NextDouble() < p;

        /// <summary>A distinct short number 101..139 for each employee in the call.</summary>
        public string NewExtension()
        {
            string ext;
            do
            {
                ext = Between(101, 139).ToString(CultureInfo.InvariantCulture);
            }
            while (usedExtensions.Contains(ext));
            usedExtensions.Add(ext);
            return ext;
        }

        /// <summary>The employees' short numbers in the order the scenario took them (the first dials an outbound call).</summary>
        public IReadOnlyList<string> Extensions => usedExtensions;

        public SipuniAddress Caller() => SipuniCallScript.External(Client.Shape(Random));

        /// <summary>dst_num sometimes carries a suffix such as _id265648.</summary>
        public SipuniAddress Dialled(RussianNumber number)
        {
            var raw = number.Shape(Random);
            return SipuniCallScript.External(Chance(0.2) ? raw.TrimStart('+') + "_id" + Between(100_000, 999_999).ToString(CultureInfo.InvariantCulture) : raw);
        }

        private bool tracked;

        /// <summary>Roistat's fields on the call's arrival (inbound calls only).</summary>
        public (string, string)[] ArrivalTracking()
        {
            tracked = Visit is not null;
            return Visit is null ? [] : [("roistat", Visit), ("roistat_number", Line.E164.TrimStart('+')), ("roistat_market", "google_cpc_brand_phone")];
        }

        public (string, string)[] EndExtras(bool recorded)
        {
            var extras = new List<(string, string)>();
            if (recorded)
            {
                extras.Add(("call_record_link", RecordingLink()));
            }

            if (tracked && Chance(0.5))
            {
                extras.Add(("roistatgoogleid", "GA1.2." + Between(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture)));
            }

            return [.. extras];
        }

        public string? Recording { get; private set; }

        /// <summary>The link arrives URL-encoded, on some integrations twice.</summary>
        private string RecordingLink()
        {
            var id = Between(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
            var ftp = Chance(0.5);
            Recording = recordingServer is not null ? RecordingServer.Link(recordingServer, id)
                : ftp ? $"ftp://myhost.info/account/frecords/{id}.wav"
                : $"https://sipuni.com/api/crm/record?id={Start}.{id}&hash={id}ab&user={id[..6]}";
            return Chance(0.3) ? Uri.EscapeDataString(Recording) : Recording;
        }

        public ExpectedCall Expect(string direction, string? outcome) => new()
        {
            Direction = direction,
            State = CallStates.Ended,
            Outcome = outcome,
            RoistatVisit = tracked ? Visit : null,
            RecordingUrl = Recording,
        };
    }
}
