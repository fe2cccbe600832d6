using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using PbxHub.Accounts;
using PbxHub.Ingest;
using PbxHub.Reconciliation;

namespace PbxHub.Providers.Evrotel;

/// <summary>
/// Evrotel's call history (docs/providers/evrotel.md#call-history): the statistics page of the account's bill code,
/// one page per day of Evrotel's wall clock, <c>GET stat_&lt;billcode&gt;.php?billcode=…&amp;start=YYYY-MM-DD</c>.
/// Its rows carry no id the events carry (the events' <c>callid</c> is the hub's own), so every row's
/// <see cref="HistoryRow.CallKey"/> is null and the reconciler matches by numbers and start time.
/// </summary>
internal sealed partial class EvrotelHistoryReader(IHttpClientFactory http, TimeProvider time, ILogger<EvrotelHistoryReader> logger) : IHistoryReader
{
    public const string StatUrlSetting = "Evrotel:StatUrl";

    public string Provider => "evrotel";

    public IEnumerable<string> SettingsProblems(Account account)
    {
        var statUrl = EvrotelAdapter.Setting(account, StatUrlSetting)?.Trim();
        if (string.IsNullOrEmpty(statUrl))
        {
            yield return $"{StatUrlSetting} is not set: the address of Evrotel's statistics pages (e.g. https://callme.sipiko.net/)";
        }
        else if (EvrotelStatPages.PageUrl(statUrl, "0", default) is null)
        {
            yield return $"{StatUrlSetting} '{statUrl}' must be an absolute http or https URL";
        }

        if (string.IsNullOrWhiteSpace(EvrotelAdapter.Setting(account, EvrotelAdapter.BillCodeSetting)))
        {
            yield return $"{EvrotelAdapter.BillCodeSetting} is not set: the statistics page is the bill code's";
        }
    }

    public async IAsyncEnumerable<HistoryPage> ReadAsync(
        Account account, DateTimeOffset since, DateTimeOffset until, [EnumeratorCancellation] CancellationToken ct)
    {
        if (SettingsProblems(account).FirstOrDefault() is { } problem)
        {
            throw new HistoryUnavailableException(problem);
        }

        var statUrl = EvrotelAdapter.Setting(account, StatUrlSetting)!.Trim();
        var billCode = EvrotelAdapter.Setting(account, EvrotelAdapter.BillCodeSetting)!.Trim();
        foreach (var day in EvrotelStatPages.Days(since, until, account.Zone))
        {
            var url = EvrotelStatPages.PageUrl(statUrl, billCode, day)!;
            var asked = "GET " + url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
            var answer = await EvrotelStatPages.GetAsync(http, url, day, ct);
            var receivedAt = RawRequest.Stamp(time);
            var (rows, garbage) = EvrotelStatRows.Split(answer.Body);
            if (rows is null)
            {
                yield return new HistoryPage.Garbage(asked, Raw(answer.ContentType, url, answer.Body, receivedAt), garbage!);
                continue;
            }

            yield return new HistoryPage.Rows(asked, Calls(account, since, until, url, rows, receivedAt, day));
        }
    }

    public HistoryFacts? Read(Account account, RawRequest row) => EvrotelStatFacts.Read(account, row.Body);

    private List<HistoryRow> Calls(Account account, DateTimeOffset since, DateTimeOffset until, Uri url, IReadOnlyList<byte[]> rows, DateTimeOffset receivedAt, DateOnly day)
    {
        var calls = new List<HistoryRow>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var bytes in rows)
        {
            var raw = Raw("application/json", url, bytes, receivedAt);
            if (Read(account, raw) is not { } facts)
            {
                skipped++;
                continue;
            }

            // The page repeats a call's row now and then (the integration's sample has one three times): the first is kept.
            var rowId = RowId(bytes);
            if (facts.StartedAt >= since && facts.StartedAt < until && ids.Add(rowId))
            {
                calls.Add(new HistoryRow(null, rowId, raw, facts));
            }
        }

        if (skipped > 0)
        {
            LogSkipped(account.Id, day, skipped, string.Join(", ", EvrotelStatRows.Required));
        }

        return calls;
    }

    /// <summary>Evrotel's own row id (the CDR's <c>id</c>) when the row has one; else a digest of what makes the call.</summary>
    private static string RowId(byte[] row)
    {
        var f = EvrotelStatRows.Fields(row)!;
        if (f.TryGetValue("id", out var id))
        {
            return "id:" + id;
        }

        var made = string.Join("\n", ((string[])["calldate", "numberA", "numberB", "recfile"]).Select(k => f.GetValueOrDefault(k) ?? ""));
        return "row:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(made)))[..24];
    }

    private static RawRequest Raw(string? contentType, Uri url, byte[] body, DateTimeOffset receivedAt) =>
        new("GET", contentType, url.Query.TrimStart('?'), body, new Dictionary<string, string>(), receivedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evrotel history of {Account} on {Day}: {Count} rows skipped, lacking one of {Required} or not readable")]
    private partial void LogSkipped(string account, DateOnly day, int count, string required);
}
