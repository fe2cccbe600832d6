using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PbxHub.Providers;
using PbxHub.Storage;

namespace PbxHub.Api;

/// <summary>One quarantined hook request: what arrived, and why it could not be read (docs/quarantine.md).</summary>
internal sealed record QuarantinedRequest(
    long Seq, string Account, string Provider, DateTimeOffset ReceivedAt, string Reason, string Method, string? ContentType,
    string Query, string Body, IReadOnlyDictionary<string, string> Headers);

internal sealed record QuarantinePage(IReadOnlyList<QuarantinedRequest> Items, string? NextCursor);

/// <summary>
/// <c>GET /api/v1/quarantine</c>: the hook requests kept because they could not be understood, newest first, for
/// monitoring and support. Filters <c>account</c>, <c>provider</c>, <c>since</c>, <c>until</c> (receive time), <c>reason</c>
/// (words in the reason, any case); <c>limit</c> and <c>cursor</c> page as <c>/calls</c> does (<see cref="QueryReader"/>).
/// </summary>
internal static class QuarantineEndpoints
{
    public static RouteGroupBuilder MapQuarantine(this RouteGroupBuilder api)
    {
        api.MapGet("/quarantine", ListAsync).WithTags("Quarantine").WithName("ListQuarantinedRequests");
        return api;
    }

    private static async Task<Results<Ok<QuarantinePage>, ValidationProblem>> ListAsync(
        HttpRequest request, ICallQueries queries, ProviderRegistry providers, CancellationToken ct)
    {
        var read = new QueryReader(request.Query);
        var query = new QuarantineQuery(
            read.Text("account"), read.Time("since"), read.Time("until"), read.Text("reason"), read.Cursor(ReadCursor), read.Limit())
        {
            Provider = read.OneOf("provider", providers.Names.Order(StringComparer.Ordinal)),
        };
        if (read.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(read.Errors, title: "Invalid query");
        }

        var rows = await queries.QuarantinedAsync(query, ct);
        var items = rows.Select(r => new QuarantinedRequest(
            r.Seq, r.Account, r.Provider, r.Request.ReceivedAt, r.Reason ?? "", r.Request.Method, r.Request.ContentType,
            r.Request.Query, Encoding.UTF8.GetString(r.Request.Body), r.Request.Headers)).ToList();
        return TypedResults.Ok(new QuarantinePage(items, items.Count == query.Limit ? Cursor(items[^1].Seq) : null));
    }

    private static string Cursor(long seq) => QueryReader.Cursor($"q{seq.ToString(CultureInfo.InvariantCulture)}");

    private static long? ReadCursor(string text) =>
        text.StartsWith('q') && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;
}
