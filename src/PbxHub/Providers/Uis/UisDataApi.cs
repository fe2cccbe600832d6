using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Reconciliation;

namespace PbxHub.Providers.Uis;

/// <summary>One answer of a Data API report: its rows as UIS wrote them, or why it cannot be read.</summary>
internal abstract record UisReport
{
    /// <param name="Rows">Each element of <c>result.data</c>, its JSON text exactly as received.</param>
    /// <param name="TotalItems"><c>result.metadata.total_items</c>: the rows of the whole period, over all pages.</param>
    /// <param name="MinuteRemaining"><c>metadata.limits.minute_remaining</c>, when UIS said it.</param>
    /// <param name="MinuteReset"><c>metadata.limits.minute_reset</c> (seconds), when UIS said it.</param>
    /// <param name="Body">The whole answer as received.</param>
    internal sealed record Page(IReadOnlyList<string> Rows, int TotalItems, int? MinuteRemaining, int? MinuteReset, string Body) : UisReport;

    /// <param name="Body">The answer as received.</param>
    internal sealed record Garbage(string Body, string Reason) : UisReport;
}

/// <summary>
/// The Data API's report methods (<c>get.calls_report</c>, <c>get.call_legs_report</c>) over <see cref="UisRpc"/>: an error
/// answer or a failed exchange is <see cref="HistoryUnavailableException"/>; a 2xx answer that is not the documented
/// <c>{"result": {"data": [...], "metadata": {"total_items": n}}}</c> is garbage (docs/providers/uis.md#call-history).
/// </summary>
internal sealed class UisDataApi(UisRpc rpc)
{
    /// <summary>The Data API's wall-clock format for <c>date_from</c>, <c>date_till</c> and every time it writes.</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    public async Task<UisReport> ReportAsync(Uri endpoint, string method, JsonObject parameters, CancellationToken ct)
    {
        var reply = await rpc.CallAsync(endpoint, method, parameters, placesCall: false, ct);
        if (reply.ErrorCode is { } code)
        {
            var mnemonic = reply.ErrorData?["mnemonic"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : null;
            throw new HistoryUnavailableException(
                $"UIS answered {method} with error {code.ToString(CultureInfo.InvariantCulture)}{(mnemonic is null ? "" : $" {mnemonic}")} \"{reply.ErrorMessage}\"{Remedy(mnemonic)}");
        }

        if (reply.Problem is { } problem && (reply.Exchange.Status is not (>= 200 and < 300) || reply.Body is null))
        {
            throw new HistoryUnavailableException($"{problem.Title}: {problem.Detail}");
        }

        return reply.Body is null ? new UisReport.Garbage("", "no answer") : Parse(reply.Body);
    }

    /// <summary>The documented answer's shape, checked; each row kept as the exact text UIS sent.</summary>
    public static UisReport Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
            {
                return new UisReport.Garbage(body, "the answer has no result object");
            }

            if (!result.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return new UisReport.Garbage(body, "result.data is not a list");
            }

            if (!result.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
                || !metadata.TryGetProperty("total_items", out var total) || !total.TryGetInt32(out var totalItems) || totalItems < 0)
            {
                return new UisReport.Garbage(body, "result.metadata.total_items is not a count");
            }

            var rows = new List<string>(data.GetArrayLength());
            foreach (var row in data.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Object)
                {
                    return new UisReport.Garbage(body, "an element of result.data is not an object");
                }

                rows.Add(row.GetRawText());
            }

            var limits = metadata.TryGetProperty("limits", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
            return new UisReport.Page(rows, totalItems, Int(limits, "minute_remaining"), Int(limits, "minute_reset"), body);
        }
        catch (JsonException ex)
        {
            return new UisReport.Garbage(body, $"the answer is not JSON ({ex.Message})");
        }
    }

    private static int? Int(JsonElement limits, string name) =>
        limits.ValueKind == JsonValueKind.Object && limits.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : null;

    /// <summary>What to do about the errors a user can fix, from the Data API's error list (docs/providers/uis.md#call-history).</summary>
    private static string Remedy(string? mnemonic) => mnemonic switch
    {
        "access_token_expired" or "access_token_blocked" or "access_token_invalid" or "auth_error" =>
            ": issue a new key for the Data API user in UIS and set it as Uis:AccessToken",
        "ip_not_whitelisted" => ": add the address PbxHub calls from to the API whitelist of the UIS account",
        "forbidden" or "method_component_disabled" => ": give the key's user the Data API component (reports) in UIS",
        "limit_exceeded" => ": the account's Data API points for the minute or the day are used up; the next run tries again",
        "account_inactive" => ": the UIS account is disabled",
        _ => "",
    };
}
