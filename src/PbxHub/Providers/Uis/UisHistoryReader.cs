using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Accounts;
using PbxHub.Ingest;
using PbxHub.Reconciliation;

namespace PbxHub.Providers.Uis;

/// <summary>
/// UIS's call history through its Data API v2.0 (docs/providers/uis.md#call-history): <c>get.calls_report</c> page by page
/// over periods of at most a month, each page's legs from <c>get.call_legs_report</c>, one row per call session.
/// UIS sends no hooks, so a UIS account's journal is made of these rows alone.
/// </summary>
internal sealed class UisHistoryReader(UisDataApi api, TimeProvider time) : IHistoryReader
{
    public const string DataApiUrlKey = "Uis:DataApiUrl";
    public const string AccessTokenKey = "Uis:AccessToken";

    /// <summary>The documentation's default page; its maximum is 10 000.</summary>
    public const int PageSize = 1000;

    /// <summary>Legs are fetched for one page of calls at a time: a few per call, so the documented maximum page.</summary>
    public const int LegsPageSize = 10_000;

    /// <summary>The documented maximum <c>offset</c>: a period with more calls is read in halves.</summary>
    public const int MaxOffset = 100_000;

    private static readonly string[] CallFields =
    [
        "id", "start_time", "finish_time", "finish_reason", "direction", "source", "is_lost", "contact_phone_number", "virtual_phone_number",
        "communication_id", "wait_duration", "talk_duration", "clean_talk_duration", "total_duration", "call_records", "full_record_file_link",
        "employees", "operator_phone_number",
    ];

    private static readonly string[] LegFields =
    [
        "id", "call_session_id", "start_time", "connect_time", "duration", "total_duration", "finish_reason", "direction", "is_operator",
        "is_transfered", "is_talked", "employee_id", "employee_full_name", "employee_phone_number", "calling_phone_number", "called_phone_number",
        "call_records",
    ];

    public string Provider => "uis";

    public IEnumerable<string> SettingsProblems(Account account) => Problems(account);

    /// <summary>What the account lacks for its history to be read; the adapter asks too, for an account begun with them.</summary>
    public static IEnumerable<string> Problems(Account account)
    {
        if (account.Setting(DataApiUrlKey) is not { } url)
        {
            yield return $"{DataApiUrlKey} is required to read the call history (the Data API address, e.g. https://dataapi.uiscom.ru/v2.0)";
        }
        else if (!OutboundOptions.IsAbsoluteHttpUrl(url))
        {
            yield return $"{DataApiUrlKey} '{url}' is not an absolute http(s) URL";
        }

        if (account.Setting(AccessTokenKey) is null)
        {
            yield return $"{AccessTokenKey} is required to read the call history (a Data API key of a UIS user)";
        }
    }

    public HistoryFacts? Read(Account account, RawRequest row) => UisHistoryRows.Read(account, row);

    public async IAsyncEnumerable<HistoryPage> ReadAsync(Account account, DateTimeOffset since, DateTimeOffset until, [EnumeratorCancellation] CancellationToken ct)
    {
        if (SettingsProblems(account).FirstOrDefault() is { } problem)
        {
            throw new HistoryUnavailableException(problem);
        }

        var endpoint = UisRpc.Endpoint(account.Setting(DataApiUrlKey)!, "v2.0");
        var periods = new Stack<UisPeriod>(UisPeriod.Split(since, until, account.Zone).Reverse());
        var pacer = new UisPacer(time);
        while (periods.TryPop(out var period))
        {
            for (var offset = 0; ;)
            {
                var request = $"get.calls_report {period} offset={offset}";
                await pacer.WaitAsync(ct);
                var answer = pacer.Note(await api.ReportAsync(endpoint, "get.calls_report", Parameters(account, period, offset, PageSize, CallFields), ct));
                if (answer is not UisReport.Page page)
                {
                    yield return Garbage(request, (UisReport.Garbage)answer);
                    break;
                }

                if (offset == 0 && page.TotalItems > MaxOffset + PageSize && period.Halves(account.Zone) is { } halves)
                {
                    periods.Push(halves.Second);
                    periods.Push(halves.First);
                    break;
                }

                yield return await RowsAsync(account, endpoint, period, request, page, pacer, ct);
                offset += page.Rows.Count;
                if (page.Rows.Count == 0 || offset >= page.TotalItems)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The page's calls with their legs; garbage when the legs' answer, or a call, is not the documented shape.</summary>
    private async Task<HistoryPage> RowsAsync(
        Account account, Uri endpoint, UisPeriod period, string request, UisReport.Page calls, UisPacer pacer, CancellationToken ct)
    {
        var receivedAt = RawRequest.Stamp(time);
        var ids = calls.Rows.Select(r => UisHistoryRows.Id(JsonNode.Parse(r)!["id"])).ToList();
        if (ids.IndexOf(null) is var bad and >= 0)
        {
            return new HistoryPage.Garbage(request, Raw(Encoding.UTF8.GetBytes(calls.Body), receivedAt), $"call {bad} of the answer has no id");
        }

        var legs = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var offset = 0; ids.Count > 0;)
        {
            var filter = new JsonObject { ["field"] = "call_session_id", ["operator"] = "in", ["value"] = new JsonArray([.. ids.Select(IdValue)]) };
            var parameters = Parameters(account, period.Through(calls.Rows, account.Zone), offset, LegsPageSize, LegFields);
            parameters["filter"] = filter;
            await pacer.WaitAsync(ct);
            var answer = pacer.Note(await api.ReportAsync(endpoint, "get.call_legs_report", parameters, ct));
            if (answer is not UisReport.Page page)
            {
                return Garbage($"get.call_legs_report for {request}", (UisReport.Garbage)answer);
            }

            foreach (var leg in page.Rows)
            {
                var session = UisHistoryRows.Id(JsonNode.Parse(leg)!["call_session_id"]) ?? "";
                (legs.TryGetValue(session, out var list) ? list : legs[session] = []).Add(leg);
            }

            offset += page.Rows.Count;
            if (page.Rows.Count == 0 || offset >= page.TotalItems)
            {
                break;
            }
        }

        var rows = new List<HistoryRow>(calls.Rows.Count);
        for (var i = 0; i < calls.Rows.Count; i++)
        {
            var raw = Raw(UisHistoryRows.Envelope(calls.Rows[i], legs.GetValueOrDefault(ids[i]!) ?? []), receivedAt);
            if (Read(account, raw) is not { } facts)
            {
                return new HistoryPage.Garbage(request, Raw(Encoding.UTF8.GetBytes(calls.Body), receivedAt),
                    $"call {ids[i]} lacks a direction (in/out), a start_time or a finish_time as the Data API documents them");
            }

            if (facts.StartedAt >= period.Since && facts.StartedAt < period.Until)
            {
                rows.Add(new HistoryRow(ids[i], ids[i]!, raw, facts));
            }
        }

        return new HistoryPage.Rows(request, rows);
    }

    /// <summary>Ids go back as UIS wrote them: numbers (the documentation's type), text only if UIS sent text.</summary>
    private static JsonNode IdValue(string? id) =>
        long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(id)!;

    private static JsonObject Parameters(Account account, UisPeriod period, int offset, int limit, string[] fields) => new()
    {
        ["access_token"] = account.Setting(AccessTokenKey),
        ["date_from"] = period.From,
        ["date_till"] = period.Till,
        ["offset"] = offset,
        ["limit"] = limit,
        ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]),
    };

    private HistoryPage.Garbage Garbage(string request, UisReport.Garbage garbage) =>
        new(request, Raw(Encoding.UTF8.GetBytes(garbage.Body), RawRequest.Stamp(time)), garbage.Reason);

    private static RawRequest Raw(byte[] body, DateTimeOffset receivedAt) =>
        new("POST", "application/json", "", body, new Dictionary<string, string>(), receivedAt);
}
