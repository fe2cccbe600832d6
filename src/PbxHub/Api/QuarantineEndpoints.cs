using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PbxHub.Storage;

namespace PbxHub.Api;

/// <summary>One quarantined hook request: what arrived, and why it could not be read (docs/quarantine.md).</summary>
internal sealed record QuarantinedRequest(
    long Seq, string Account, string Provider, DateTimeOffset ReceivedAt, string Reason, string Method, string? ContentType,
    string Query, string Body, IReadOnlyDictionary<string, string> Headers);

internal sealed record QuarantinePage(IReadOnlyList<QuarantinedRequest> Items, string? NextCursor);

/// <summary>
/// <c>GET /api/v1/quarantine</c>: the hook requests kept because they could not be understood, newest first, for
/// monitoring and support. Filters <c>account</c>, <c>since</c>, <c>until</c> (receive time), <c>reason</c> (words in
/// the reason, any case); <c>limit</c> and <c>cursor</c> page as <c>/calls</c> does.
/// </summary>
internal static class QuarantineEndpoints
{
    public static RouteGroupBuilder MapQuarantine(this RouteGroupBuilder api)
    {
        api.MapGet("/quarantine", ListAsync).WithTags("Quarantine").WithName("ListQuarantinedRequests");
        return api;
    }

    private static async Task<Results<Ok<QuarantinePage>, ValidationProblem>> ListAsync(
        HttpRequest request, ICallQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var q = request.Query;
        string? Text(string name) => q.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString().Trim() : null;
        DateTimeOffset? Time(string name)
        {
            if (Text(name) is not { } value)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            {
                return t;
            }

            errors[name] = [$"'{value}' is not an ISO 8601 time"];
            return null;
        }

        var limit = 100;
        if (Text("limit") is { } limitText && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            errors["limit"] = ["limit must be a whole number from 1 to 1000"];
        }

        long? after = null;
        if (Text("cursor") is { } cursor && (after = ReadCursor(cursor)) is null)
        {
            errors["cursor"] = ["the cursor is not one this API returned"];
        }

        var query = new QuarantineQuery(Text("account"), Time("since"), Time("until"), Text("reason"), after, limit);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query");
        }

        var rows = await queries.QuarantinedAsync(query, ct);
        var items = rows.Select(r => new QuarantinedRequest(
            r.Seq, r.Account, r.Provider, r.Request.ReceivedAt, r.Reason ?? "", r.Request.Method, r.Request.ContentType,
            r.Request.Query, Encoding.UTF8.GetString(r.Request.Body), r.Request.Headers)).ToList();
        return TypedResults.Ok(new QuarantinePage(items, items.Count == limit ? Cursor(items[^1].Seq) : null));
    }

    private static string Cursor(long seq) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"q{seq.ToString(CultureInfo.InvariantCulture)}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static long? ReadCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith('q') && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
