using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Reconciliation;

namespace PbxHub.IntegrationTests.Reconciliation;

/// <summary>
/// A made-up provider of the tests with a call history, registered in one line like any provider
/// (docs/adding-a-provider.md). Hooks: <c>GET /hooks/{account}/{secret}?call=ID&amp;event=start|answer|end&amp;from=NUMBER&amp;ext=EXT&amp;at=UNIX</c>;
/// history: <see cref="LedgerHistoryServer"/>, read over HTTP by <see cref="LedgerHistoryReader"/>.
/// </summary>
internal static class LedgerPbx
{
    public const string Name = "ledgerpbx";

    public const string HistoryUrlKey = "Ledger:HistoryUrl";

    public static ProviderDescriptor Descriptor { get; } = new(new Adapter())
    {
        History = typeof(LedgerHistoryReader),
        TextsEn = new Dictionary<string, string>
        {
            ["provider.ledgerpbx"] = "LedgerPbx: a made-up provider of the tests, with a call history.",
            ["missed.unsupported.ledgerpbx"] = "LedgerPbx accounts cannot call back.",
        },
        TextsRu = new Dictionary<string, string>
        {
            ["provider.ledgerpbx"] = "LedgerPbx: выдуманный провайдер тестов, с историей звонков.",
            ["missed.unsupported.ledgerpbx"] = "Аккаунты LedgerPbx не умеют перезванивать.",
        },
    };

    public static readonly Party Client = new("79161234567", "+79161234567", null);

    public static readonly Party Line = new("74951234567", "+74951234567", null);

    public static string Hook(string call, string evt, DateTimeOffset at, string ext = "101") =>
        $"call={call}&event={evt}&from={Client.Raw}&ext={ext}&at={at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";

    private sealed class Adapter : IProviderAdapter
    {
        public string Name => LedgerPbx.Name;

        public bool SecretInPath => true;

        public string DefaultTimeZone => "Europe/Moscow";

        public string DefaultCountry => "RU";

        public string? HookPath(Account account) => PathSecretHooks.HookPath(account);

        public IEnumerable<string> SettingsProblems(Account account) => [];

        public bool Authenticate(Account account, string? pathSecret, IHeaderDictionary headers) => PathSecretHooks.Authenticate(account, pathSecret);

        public HookParse Parse(Account account, RawRequest request)
        {
            var q = QueryHelpers.ParseQuery(request.Query);
            string Field(string name) => q.GetValueOrDefault(name).ToString();
            if (!long.TryParse(Field("at"), CultureInfo.InvariantCulture, out var unix) || unix is < 0 or > 253_402_300_799 || Field("call").Length == 0)
            {
                return new HookParse.Failed("call or at is missing");
            }

            var at = DateTimeOffset.FromUnixTimeSeconds(unix);
            var ext = new Party(Field("ext"), null, Field("ext"));
            CallSignal[] signals = Field("event") switch
            {
                "start" => [new CallSeen(at, Directions.Inbound, new Party(Field("from"), "+" + Field("from"), null), Line, Line, 0), new LegRinging(at, ext)],
                "answer" => [new LegAnswered(at, ext)],
                "end" => [new CallEnded(at, null, "end")],
                _ => [],
            };
            return signals.Length == 0 ? new HookParse.Failed("unknown event") : new HookParse.Parsed(Field("call"), request.Query, signals);
        }

        public HookReply Accepted(Account account, HookParse.Parsed parsed, StoredRaw stored) => PathSecretHooks.Accepted;

        public HookReply Quarantined(string reason) => PathSecretHooks.Quarantined(reason);

        public HookReply Rejected(string reason) => PathSecretHooks.Rejected(reason);

        public HookReply Denied() => PathSecretHooks.Denied();
    }
}
