using System.Globalization;
using System.Text;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Api;

/// <summary>
/// <c>GET /api/v1/calls.csv</c>: every call matching the journal's filters, newest first, written page
/// by page as it is read (no limit, constant memory). UTF-8 with a BOM, so spreadsheet programs read
/// Cyrillic correctly.
/// </summary>
internal static class CallsCsv
{
    private static readonly string[] Header =
    [
        "id", "account", "provider", "providerCallId", "direction", "state", "outcome", "startedAt", "answeredAt", "endedAt",
        "waitSeconds", "talkSeconds", "from", "fromNumber", "to", "toNumber", "line", "answeredBy", "endedWith", "legs",
        "transfers", "recordingUrl", "providerResult", "incomplete",
    ];

    public static async Task WriteAsync(HttpContext http, ICallQueries queries, AccountDirectory accounts, FoldProgress progress, CancellationToken ct)
    {
        await progress.CatchUpAsync(CallsEndpoints.CatchUpPatience, ct);
        var (query, errors) = await CallQueryParser.ParseAsync(http.Request.Query, accounts, ct);
        if (errors.Count > 0)
        {
            await Results.ValidationProblem(errors, title: "Invalid query").ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"calls.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await writer.WriteLineAsync(Line(Header));
        var written = 0;
        await foreach (var call in queries.AllAsync(query!, ct))
        {
            await writer.WriteLineAsync(Line(Row(call)));
            if (++written % 1000 == 0)
            {
                await writer.FlushAsync(ct);
            }
        }
    }

    private static string?[] Row(CallRecord c) =>
    [
        c.Id, c.Account, c.Provider, c.ProviderCallId, c.Direction, c.State, c.Outcome, Time(c.StartedAt), Time(c.AnsweredAt),
        Time(c.EndedAt), Number(c.WaitSeconds), Number(c.TalkSeconds), c.From?.Raw, c.From?.Number, c.To?.Raw, c.To?.Number,
        c.Line?.Number ?? c.Line?.Raw, Name(c.AnsweredBy), Name(c.EndedWith), Number(c.Legs.Count), Number(c.Transfers.Count),
        c.RecordingUrl, c.ProviderResult, c.Incomplete ? "true" : "false",
    ];

    private static string? Name(Party? party) => party is null ? null : party.Extension ?? party.Number ?? party.Raw;

    private static string? Time(DateTimeOffset? at) => at is { } value ? CallJson.Utc(value) : null;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.</summary>
    private static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(f =>
        f is null ? "" : f.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f));
}
