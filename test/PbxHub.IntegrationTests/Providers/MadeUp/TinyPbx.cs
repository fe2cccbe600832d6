using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Simulation;

namespace PbxHub.IntegrationTests.Providers.MadeUp;

/// <summary>
/// A made-up provider, registered the way docs/adding-a-provider.md says: its dialect is
/// <c>GET /hooks/{account}/{secret}?call=ID&amp;event=start|end&amp;from=NUMBER&amp;at=UNIX</c>.
/// </summary>
internal static class TinyPbx
{
    public const string Name = "tinypbx";

    public static ProviderDescriptor Descriptor { get; } = new(new Adapter())
    {
        Simulator = _ => new Generator(),
        Examples = [new("start", HookWire.Query, Hook("e1", "start", 1_700_000_000)), new("end", HookWire.Query, Hook("e1", "end", 1_700_000_009))],
        TextsEn = new Dictionary<string, string>
        {
            ["provider.tinypbx"] = "TinyPbx (Georgia): a made-up provider of the tests.",
            ["missed.unsupported.tinypbx"] = "TinyPbx accounts cannot call back.",
        },
        TextsRu = new Dictionary<string, string>
        {
            ["provider.tinypbx"] = "TinyPbx (Грузия): выдуманный провайдер тестов.",
            ["missed.unsupported.tinypbx"] = "Аккаунты TinyPbx не умеют перезванивать.",
        },
    };

    public static string Hook(string call, string evt, long at) =>
        $"call={call}&event={evt}&from=995322000000&at={at.ToString(CultureInfo.InvariantCulture)}";

    private sealed class Adapter : IProviderAdapter
    {
        public string Name => TinyPbx.Name;

        public bool SecretInPath => true;

        public string DefaultTimeZone => "Asia/Tbilisi";

        public string DefaultCountry => "GE";

        public string? HookPath(Account account) => PathSecretHooks.HookPath(account);

        public IEnumerable<string> SettingsProblems(Account account) => [];

        public bool Authenticate(Account account, string? pathSecret, IHeaderDictionary headers) => PathSecretHooks.Authenticate(account, pathSecret);

        public HookParse Parse(Account account, RawRequest request)
        {
            // Its fuzz test (seeded by Examples) found that an indexer throws on a missing field: read each one or nothing.
            var q = QueryHelpers.ParseQuery(request.Query);
            string Field(string name) => q.GetValueOrDefault(name).ToString();
            if (!long.TryParse(Field("at"), CultureInfo.InvariantCulture, out var unix) || unix is < 0 or > 253_402_300_799 || Field("call").Length == 0)
            {
                return new HookParse.Failed("call or at is missing");
            }

            var at = DateTimeOffset.FromUnixTimeSeconds(unix);
            var from = new Party(Field("from"), "+" + Field("from"), null);
            CallSignal signal = Field("event") == "end" ? new CallEnded(at, "missed", "end") : new CallSeen(at, "inbound", from, null, null, 0);
            return new HookParse.Parsed(Field("call"), request.Query, [signal]);
        }

        public HookReply Accepted(Account account, HookParse.Parsed parsed, StoredRaw stored) => PathSecretHooks.Accepted;

        public HookReply Quarantined(string reason) => PathSecretHooks.Quarantined(reason);

        public HookReply Rejected(string reason) => PathSecretHooks.Rejected(reason);

        public HookReply Denied() => PathSecretHooks.Denied();
    }

    private sealed class Generator : IScenarioGenerator
    {
        public string Provider => Name;

        public IReadOnlyList<string> Scenarios { get; } = ["missed"];

        public SimulatedCall Generate(string scenario, int index, DateTimeOffset startedAt, Random random)
        {
            var call = "tiny-" + index.ToString(CultureInfo.InvariantCulture);
            var start = startedAt.ToUnixTimeSeconds();
            HookRequest Get(string evt, long at) => new("GET", [.. QueryHelpers.ParseQuery(Hook(call, evt, at)).Select(kv => KeyValuePair.Create(kv.Key, kv.Value.ToString()))]);
            return new SimulatedCall(scenario, call, [Get("start", start), Get("end", start + 7)], new ExpectedCall { Direction = "inbound", State = "ended", Outcome = "missed" });
        }
    }
}
