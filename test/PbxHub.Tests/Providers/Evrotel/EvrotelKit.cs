using System.Text;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Providers.Evrotel;
using PbxHub.Storage;

namespace PbxHub.Tests.Providers.Evrotel;

/// <summary>Evrotel requests as its transmitter posts them, for an account in Kyiv, folded the way the hub folds them.</summary>
internal static class EvrotelKit
{
    public const string Token = "G7bng65jYk8GF294";
    public const string RecordingBaseUrl = "https://records.evrotel.example/calls";

    public static readonly Account Account = new(
        "kyiv", "evrotel", "", "Europe/Kyiv", "UA",
        new Dictionary<string, string> { [EvrotelAdapter.TokenSetting] = Token, [EvrotelAdapter.RecordingBaseUrlSetting] = RecordingBaseUrl },
        AccountSources.Configuration);

    public static readonly EvrotelAdapter Adapter = new();

    private static readonly CallRecords Builder = new(new ProviderRegistry([Adapter]), new PbxHub.Reconciliation.HistoryRegistry([]));

    /// <summary>A fixture's bytes exactly as stored in src/PbxHub/Providers/Evrotel/Examples (linked as Fixtures/evrotel).</summary>
    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "evrotel", name));

    /// <summary>A POST as Evrotel sends it: JSON when the body is an object, else http_build_query form data.</summary>
    public static RawRequest Post(string body, string? contentType = null, long receivedSeconds = 1_522_600_000) =>
        new("POST", contentType ?? (body.TrimStart().StartsWith('{') ? "application/json" : "application/x-www-form-urlencoded"), "",
            Encoding.UTF8.GetBytes(body), new Dictionary<string, string>(), DateTimeOffset.FromUnixTimeSeconds(receivedSeconds));

    public static HookParse Parse(string body, Account? account = null) => Adapter.Parse(account ?? Account, Post(body));

    public static HookParse.Parsed Parsed(string body, Account? account = null) =>
        Parse(body, account) as HookParse.Parsed ?? throw new InvalidOperationException($"not parsed: {Parse(body, account)}");

    /// <summary>The call id a start is answered with.</summary>
    public static string CallIdOf(string startBody) =>
        Adapter.Accepted(Account, Parsed(startBody), new StoredRaw(1, false)).Body;

    /// <summary>Folds requests as stored raw events of one call (the call key of the first).</summary>
    public static CallRecord Fold(IEnumerable<string> bodies, Account? account = null)
    {
        account ??= Account;
        var rows = bodies.Select((body, i) =>
        {
            var request = Post(body);
            var parsed = (HookParse.Parsed)Adapter.Parse(account, request);
            return new RawRow(i + 1, account.Id, "evrotel", RawKinds.Hook, parsed.CallKey, parsed.DedupeKey, request, null);
        }).ToList();
        Assert.All(rows, r => Assert.Equal(rows[0].CallKey, r.CallKey));
        return Builder.Fold(account, rows[0].CallKey!, rows)!;
    }

    /// <summary>The document's end example answering the given start: its callid replaced by the id the start got.</summary>
    public static string EndFor(string startBody) => Fixture("end.json").Replace("\"123456789\"", $"\"{CallIdOf(startBody)}\"", StringComparison.Ordinal);

    /// <summary>The same raw event: same call, same dedupe key, same signals.</summary>
    public static void AssertSameEvent(HookParse.Parsed expected, HookParse.Parsed actual)
    {
        Assert.Equal(expected.CallKey, actual.CallKey);
        Assert.Equal(expected.DedupeKey, actual.DedupeKey);
        Assert.Equal(expected.Signals, actual.Signals);
    }

    public static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
