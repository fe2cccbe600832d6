using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Reconciliation;

namespace PbxHub.Providers.Sipuni;

/// <summary>
/// Sipuni's call history: <c>statistic/export</c>, one request per day of the account's zone (the export is asked by
/// dates), one row per CSV line stored as the header line plus that line (docs/providers/sipuni.md, "Call history").
/// </summary>
internal sealed class SipuniHistoryReader(IHttpClientFactory http, TimeProvider time) : IHistoryReader
{
    public const string UserSetting = "Sipuni:User";
    public const string SecretSetting = "Sipuni:ApiSecret";

    /// <summary>Where the API is; set only to point at a stand-in (<c>pbxhub emulate sipuni</c>).</summary>
    public const string ApiUrlSetting = "Sipuni:ApiUrl";

    public const string DefaultApiUrl = "https://sipuni.com/api";

    public string Provider => "sipuni";

    public IEnumerable<string> SettingsProblems(Account account)
    {
        if (account.Setting(UserSetting) is null)
        {
            yield return $"{UserSetting} is not set (the user number of the Sipuni cabinet, e.g. 012345)";
        }

        if (account.Setting(SecretSetting) is null)
        {
            yield return $"{SecretSetting} is not set (Sipuni: Settings → API → the integration key)";
        }

        if (account.Setting(ApiUrlSetting) is { } url && !OutboundOptions.IsAbsoluteHttpUrl(url))
        {
            yield return $"{ApiUrlSetting} must be an absolute http(s) URL, e.g. {DefaultApiUrl}";
        }
    }

    public async IAsyncEnumerable<HistoryPage> ReadAsync(
        Account account, DateTimeOffset since, DateTimeOffset until, [EnumeratorCancellation] CancellationToken ct)
    {
        if (SettingsProblems(account).FirstOrDefault() is { } problem)
        {
            throw new HistoryUnavailableException($"Sipuni's history cannot be read: {problem}");
        }

        var user = account.Setting(UserSetting)!;
        var secret = account.Setting(SecretSetting)!;
        var url = new Uri((account.Setting(ApiUrlSetting) ?? DefaultApiUrl).TrimEnd('/') + "/" + SipuniExportRequest.Path);
        var zone = account.Zone;
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(since, zone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(until.AddTicks(-1), zone).DateTime);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var shown = SipuniExportRequest.Shown(user, day);
            var answer = await SipuniHistoryHttp.PostAsync(http, url, SipuniExportRequest.Form(user, secret, day), shown, time, ct);
            yield return Page(account, shown, answer, since, until);
        }
    }

    public HistoryFacts? Read(Account account, RawRequest row)
    {
        if (SipuniHistoryCsv.Parse(SipuniHistoryCsv.Decode(row.Body)) is not { Lines.Count: 1 } table
            || SipuniHistoryColumns.Of(table.Header).Columns is not { } columns)
        {
            return null;
        }

        return SipuniHistoryRow.Facts(account, columns, table.Lines[0].Fields).Facts;
    }

    /// <summary>The calls of one day's answer that started in [since, until), or the answer as garbage.</summary>
    private static HistoryPage Page(Account account, string shown, RawRequest answer, DateTimeOffset since, DateTimeOffset until)
    {
        var text = SipuniHistoryCsv.Decode(answer.Body);
        if (text.Trim().Length == 0)
        {
            // A day without calls; integrations see no other answer for it than an empty or header-only one.
            return new HistoryPage.Rows(shown, []);
        }

        var table = SipuniHistoryCsv.Parse(text)!;
        var (columns, problem) = SipuniHistoryColumns.Of(table.Header);
        if (columns is null)
        {
            return new HistoryPage.Garbage(shown, answer, problem!);
        }

        var rows = new List<HistoryRow>();
        foreach (var (line, number) in table.Lines.Select((l, i) => (l, i + 2)))
        {
            var (facts, unreadable) = SipuniHistoryRow.Facts(account, columns, line.Fields);
            if (facts is null)
            {
                return new HistoryPage.Garbage(shown, answer, $"line {number}: {unreadable}");
            }

            if (facts.StartedAt >= since && facts.StartedAt < until)
            {
                var body = Encoding.UTF8.GetBytes(table.HeaderText + "\r\n" + line.Text);
                var recordId = columns.Get(line.Fields, SipuniHistoryColumns.RecordId);
                var row = answer with { Body = body, ContentType = "text/csv; charset=utf-8" };
                rows.Add(new HistoryRow(recordId, recordId ?? "line:" + Convert.ToHexStringLower(SHA256.HashData(body))[..32], row, facts));
            }
        }

        return new HistoryPage.Rows(shown, rows);
    }
}
