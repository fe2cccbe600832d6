using System.Globalization;
using System.Text;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Api;

/// <summary>
/// <c>GET /api/v1/calls.csv</c>: every call matching the journal's filters, newest first, written page
/// by page as it is read (no limit, constant memory). UTF-8 with a BOM, so spreadsheet programs read
/// Cyrillic correctly. The UTC columns are as they always were; the local-time columns come after them,
/// with the zone they are in (docs/export.md).
/// </summary>
internal static class CallsCsv
{
    private static readonly string[] Header =
    [
        "id", "account", "provider", "providerCallId", "direction", "state", "outcome", "startedAt", "answeredAt", "endedAt",
        "waitSeconds", "talkSeconds", "from", "fromNumber", "to", "toNumber", "line", "answeredBy", "endedWith", "legs",
        "transfers", "recordingUrl", "providerResult", "incomplete", "timeZone", "startedAtLocal", "answeredAtLocal", "endedAtLocal",
        "fromHistory",
    ];

    public static async Task WriteAsync(HttpContext http, ICallQueries queries, AccountDirectory accounts, CancellationToken ct)
    {
        var (query, errors) = await CallQueryParser.ParseAsync(http.Request.Query, accounts, ct);
        var format = CsvFormat.Read(http.Request.Query, errors);
        if (errors.Count > 0)
        {
            await Results.ValidationProblem(errors, title: "Invalid query").ExecuteAsync(http);
            return;
        }

        // The first page is read before a byte is written: a database that fails then is answered 503 problem details
        // (StorageFaultHandler), not a file cut off after its header.
        await using var calls = queries.AllAsync(query!, ct).GetAsyncEnumerator(ct);
        var more = await calls.MoveNextAsync();
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"calls.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(format.Delimiter, Header));
        var zones = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        var written = 0;
        for (; more; more = await calls.MoveNextAsync())
        {
            var call = calls.Current;
            var zone = format.Zone ?? await AccountZoneAsync(call.Account, accounts, zones, ct);
            await writer.WriteLineAsync(string.Join(format.Delimiter, Row(call, zone, format)));
            if (++written % 1000 == 0)
            {
                await writer.FlushAsync(ct);
            }
        }
    }

    /// <summary>The zone the journal shows the account's calls in; UTC for an account since removed.</summary>
    private static async ValueTask<TimeZoneInfo> AccountZoneAsync(
        string accountId, AccountDirectory accounts, Dictionary<string, TimeZoneInfo> zones, CancellationToken ct)
    {
        if (!zones.TryGetValue(accountId, out var zone))
        {
            var account = await accounts.FindAsync(accountId, ct);
            zone = account is not null && TimeZoneInfo.TryFindSystemTimeZoneById(account.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
            zones[accountId] = zone;
        }

        return zone;
    }

    /// <summary>What came from the provider is <see cref="CsvCells.Text"/>; what PbxHub wrote itself is <see cref="CsvCells.Plain"/>.</summary>
    private static string[] Row(CallRecord c, TimeZoneInfo zone, CsvFormat f)
    {
        string T(string? value) => CsvCells.Text(value, f);
        string P(string? value) => CsvCells.Plain(value, f.Delimiter);
        return
        [
            P(c.Id), P(c.Account), P(c.Provider), T(c.ProviderCallId), P(c.Direction), P(c.State), P(c.Outcome), P(Utc(c.StartedAt)),
            P(Utc(c.AnsweredAt)), P(Utc(c.EndedAt)), P(Number(c.WaitSeconds)), P(Number(c.TalkSeconds)), T(c.From?.Raw), T(c.From?.Number),
            T(c.To?.Raw), T(c.To?.Number), T(c.Line?.Number ?? c.Line?.Raw), T(Name(c.AnsweredBy)), T(Name(c.EndedWith)),
            P(Number(c.Legs.Count)), P(Number(c.Transfers.Count)), T(c.RecordingUrl), T(c.ProviderResult), P(c.Incomplete ? "true" : "false"),
            P(zone.Id), P(Local(c.StartedAt, zone)), P(Local(c.AnsweredAt, zone)), P(Local(c.EndedAt, zone)),
            P(c.FromHistory ? "true" : "false"),
        ];
    }

    private static string? Name(Party? party) => party is null ? null : party.Extension ?? party.Number ?? party.Raw;

    private static string? Utc(DateTimeOffset? at) => at is { } value ? CallJson.Utc(value) : null;

    /// <summary>The wall clock in <paramref name="zone"/>, in the shape spreadsheets read as a date and time.</summary>
    private static string? Local(DateTimeOffset? at, TimeZoneInfo zone) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : null;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
