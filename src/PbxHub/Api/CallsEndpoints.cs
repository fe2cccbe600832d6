using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Api;

internal sealed record CallPage(IReadOnlyList<CallRecord> Items, string? NextCursor);

internal sealed record RawEventView(
    long Seq, string Kind, DateTimeOffset ReceivedAt, string Method, string? ContentType, string Query, string Body,
    IReadOnlyDictionary<string, string> Headers, string? Reason);

internal sealed record TimelineView(string CallId, IReadOnlyList<RawEventView> Raw, IReadOnlyList<CallEvent> Events);

internal static class CallsEndpoints
{
    public static RouteGroupBuilder MapCalls(this RouteGroupBuilder api)
    {
        var calls = api.MapGroup("/calls").WithTags("Calls");
        calls.MapGet("/", ListAsync).WithName("ListCalls");
        calls.MapGet("/missed", MissedAsync).WithName("ListMissedCalls");
        api.MapGet("/calls.csv", CallsCsv.WriteAsync).WithTags("Calls").WithName("ExportCallsCsv")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesValidationProblem();
        api.MapGet("/stats", StatsAsync).WithTags("Calls").WithName("CallStatistics");
        calls.MapGet("/{id}", async Task<Results<Ok<CallRecord>, ProblemHttpResult>> (
            string id, ICallQueries queries, CancellationToken ct) =>
        {
            return await queries.GetAsync(id, ct) is { } call ? TypedResults.Ok(call) : NotFound(id);
        }).WithName("GetCall").ProducesProblem(StatusCodes.Status404NotFound);
        calls.MapGet("/{id}/timeline", async Task<Results<Ok<TimelineView>, ProblemHttpResult>> (
            string id, ICallQueries queries, CancellationToken ct) =>
        {
            if (await queries.TimelineAsync(id, ct) is not { } timeline)
            {
                return NotFound(id);
            }

            var raw = timeline.Raw.Select(r => new RawEventView(
                r.Seq, r.Kind, r.Request.ReceivedAt, r.Request.Method, r.Request.ContentType, r.Request.Query,
                Encoding.UTF8.GetString(r.Request.Body), r.Request.Headers, r.Reason)).ToList();
            return TypedResults.Ok(new TimelineView(id, raw, timeline.Events));
        }).WithName("GetCallTimeline").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(statusCode: 404, title: "Unknown call", detail: $"No call '{id}'.");

    private static Task<Results<Ok<CallPage>, ValidationProblem>> ListAsync(
        HttpRequest request, ICallQueries queries, AccountDirectory accounts, CancellationToken ct) =>
        PageAsync(request, queries, accounts, q => q, ct);

    /// <summary>Missed inbound calls; with <c>unreturned=true</c> only those nobody has talked to the caller since.</summary>
    private static Task<Results<Ok<CallPage>, ValidationProblem>> MissedAsync(
        HttpRequest request, ICallQueries queries, AccountDirectory accounts, CancellationToken ct)
    {
        var unreturned = request.Query["unreturned"].ToString();
        if (unreturned is not ("" or "true" or "false"))
        {
            return Task.FromResult<Results<Ok<CallPage>, ValidationProblem>>(TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["unreturned"] = ["unreturned must be true or false"] }, title: "Invalid query"));
        }

        return PageAsync(request, queries, accounts,
            q => q with { Outcome = Outcomes.Missed, Direction = Directions.Inbound, Unreturned = unreturned == "true" }, ct);
    }

    /// <summary>
    /// <c>GET /stats</c>: the journal's filters, <c>by</c> = day, hour or party, days and hours in
    /// <c>timeZone</c>, else the account's, else the one all accounts share, else UTC (the answer names it;
    /// docs/statistics.md). Reads every matching call, so a period
    /// of millions of calls is slow; the PostgreSQL issue is where it moves into SQL.
    /// </summary>
    private static async Task<Results<Ok<StatsView>, ValidationProblem>> StatsAsync(
        HttpRequest request, ICallQueries queries, AccountDirectory accounts, CancellationToken ct)
    {
        var (parsed, errors) = await CallQueryParser.ParseAsync(request.Query, accounts, ct);
        var by = request.Query["by"].ToString();
        if (by is not ("" or "day" or "hour" or "party"))
        {
            errors["by"] = ["by must be day, hour or party"];
        }

        var zoneName = request.Query["timeZone"].ToString();
        TimeZoneInfo? zone = null;
        if (zoneName.Length > 0 && !TimeZoneInfo.TryFindSystemTimeZoneById(zoneName, out zone))
        {
            errors["timeZone"] = [$"'{zoneName}' is not a known IANA time zone"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query");
        }

        var calls = new List<CallRecord>();
        await foreach (var call in queries.AllAsync(parsed!, ct))
        {
            calls.Add(call);
        }

        zone ??= CallStats.ZoneOf(parsed!.Account, await accounts.ListAsync(ct));
        return TypedResults.Ok(CallStats.Of(calls, by.Length == 0 ? null : by, zone));
    }

    private static async Task<Results<Ok<CallPage>, ValidationProblem>> PageAsync(
        HttpRequest request, ICallQueries queries, AccountDirectory accounts,
        Func<CallQuery, CallQuery> narrow, CancellationToken ct)
    {
        var (parsed, errors) = await CallQueryParser.ParseAsync(request.Query, accounts, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query");
        }

        var query = narrow(parsed!);
        var items = await queries.ListAsync(query, ct);
        var next = items.Count == query.Limit ? CallQueryParser.Cursor(items[^1]) : null;
        return TypedResults.Ok(new CallPage(items, next));
    }
}

/// <summary>Reads the journal filters (docs/call-record.md, "Finding calls") from a query string; every error is named.</summary>
internal static class CallQueryParser
{
    private static readonly string[] DirectionValues = [Directions.Inbound, Directions.Outbound, Directions.Internal];
    private static readonly string[] StateValues = [CallStates.Ringing, CallStates.Active, CallStates.Ended];
    private static readonly string[] OutcomeValues =
    [
        Outcomes.Answered, Outcomes.Missed, Outcomes.Busy, Outcomes.NoAnswer, Outcomes.Cancelled, Outcomes.Failed,
        Outcomes.Unavailable, Outcomes.Congestion, Outcomes.Rejected, Outcomes.Unknown,
    ];

    public static async Task<(CallQuery? Query, Dictionary<string, string[]> Errors)> ParseAsync(
        IQueryCollection q, AccountDirectory accounts, CancellationToken ct)
    {
        var read = new QueryReader(q);
        var errors = read.Errors;
        var account = read.Text("account");
        var known = await accounts.ListAsync(ct);
        var countries = account is not null && known.FirstOrDefault(x => x.Id == account) is { } a
            ? [a.Country]
            : known.Select(x => x.Country).Append("RU").Distinct().ToList();
        IReadOnlyList<string>? Forms(string name) =>
            read.Text(name) is { } v ? countries.SelectMany(c => CallPartyIndex.FormsOfQuery(v, c)).Distinct().ToList() : null;

        var limit = read.Limit();
        var after = read.Cursor(ReadCursor);

        var query = new CallQuery(
            account, read.Time("since"), read.Time("until"), Forms("number"), read.OneOf("direction", DirectionValues),
            read.OneOf("outcome", OutcomeValues), read.OneOf("state", StateValues), Forms("answeredBy"), after, limit)
        {
            ReturnAccounts = ReturnAccounts(q, known, errors),
        };
        return (errors.Count == 0 ? query : null, errors);
    }

    /// <summary>
    /// <c>returnedVia</c>: the accounts (comma-separated, or repeated) whose answered calls return a missed call;
    /// all accounts when absent, as one company's providers share its clients (docs/statistics.md).
    /// </summary>
    private static List<string> ReturnAccounts(IQueryCollection q, IReadOnlyList<Account> known, Dictionary<string, string[]> errors)
    {
        var named = q["returnedVia"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct().ToList();
        var unknown = named.Where(id => known.All(a => a.Id != id)).ToList();
        if (unknown.Count > 0)
        {
            errors["returnedVia"] = [$"unknown account(s): {string.Join(", ", unknown)}"];
        }

        return named.Count > 0 ? named : known.Select(a => a.Id).ToList();
    }

    public static string Cursor(CallRecord last) => QueryReader.Cursor($"{last.StartedAt.ToUnixTimeMilliseconds()}|{last.Id}");

    private static (DateTimeOffset, string)? ReadCursor(string text)
    {
        var parts = text.Split('|', 2);
        return parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ms)
            && ms >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? (DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[1])
            : null;
    }
}
