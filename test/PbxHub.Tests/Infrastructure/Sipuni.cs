using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Providers.Sipuni;
using PbxHub.Storage;

namespace PbxHub.Tests.Infrastructure;

/// <summary>Sipuni requests as the PBX sends them, folded the way the hub folds them.</summary>
internal static class Sipuni
{
    public static readonly Account Account = new(
        "demo", "sipuni", "secret-secret", "Europe/Moscow", "RU",
        new Dictionary<string, string> { ["Sipuni:UserNumber"] = "012345" }, AccountSources.Configuration);

    public static readonly SipuniAdapter Adapter = new();

    public static IReadOnlyList<string> TransferExample() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sipuni-transfer-example.txt"))
            .Where(l => l.Length > 0).Select(l => l[(l.IndexOf('?', StringComparison.Ordinal) + 1)..]).ToList();

    public static RawRequest Get(string query, long receivedSeconds = 1_700_000_000) =>
        new("GET", null, query, [], new Dictionary<string, string>(), DateTimeOffset.FromUnixTimeSeconds(receivedSeconds));

    public static RawRequest PostForm(string form, long receivedSeconds = 1_700_000_000) =>
        new("POST", "application/x-www-form-urlencoded", "", System.Text.Encoding.UTF8.GetBytes(form),
            new Dictionary<string, string>(), DateTimeOffset.FromUnixTimeSeconds(receivedSeconds));

    /// <summary>Folds requests as stored raw events (the call key must be the same for all).</summary>
    public static CallRecord Fold(IEnumerable<RawRequest> requests, string kind = RawKinds.Hook)
    {
        var rows = requests.Select((r, i) =>
        {
            var parsed = (HookParse.Parsed)Adapter.Parse(Account, r);
            return new RawRow(i + 1, Account.Id, "sipuni", kind, parsed.CallKey, parsed.DedupeKey, r, null);
        }).ToList();
        return Builder.Fold(Account, rows[0].CallKey!, rows)!;
    }

    public static CallRecord FoldQueries(IEnumerable<string> queries) => Fold(queries.Select(q => Get(q)));

    public static readonly CallRecords Builder = new(new ProviderRegistry([Adapter]), new PbxHub.Reconciliation.HistoryRegistry([]));
}
