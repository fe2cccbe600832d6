using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Providers;
using PbxHub.Storage;

namespace PbxHub.Api;

/// <summary>
/// <c>POST /calls</c> (click-to-call through the account's provider) and <c>GET /calls/requests</c>
/// (what was asked, newest first, each with the call it most likely produced). Autodial is in
/// <see cref="AutodialEndpoints"/>.
/// </summary>
internal sealed record CallRequestPage(IReadOnlyList<CallRequestView> Items);

/// <summary>
/// The body of <c>POST /calls</c> as the document describes it; the handler reads the JSON itself, to name every bad field at
/// once. <paramref name="Operator"/> is an extension or number, or a list of them; <paramref name="Options"/> the provider's own.
/// </summary>
internal sealed record PlaceCallBody(string Account, JsonNode Operator, string Client, JsonObject? Options);

internal static class PlaceCallsEndpoints
{
    public static RouteGroupBuilder MapPlaceCalls(this RouteGroupBuilder api)
    {
        api.MapPost("/calls", PlaceAsync).WithTags("Outbound").WithName("PlaceCall").Accepts<PlaceCallBody>("application/json")
            .Produces<CallRequestView>().DescribeOutboundAnswers();
        // A literal segment outranks /calls/{id}, so "requests" is never taken for a call id.
        api.MapGet("/calls/requests", ListAsync).WithTags("Outbound").WithName("ListCallRequests")
            .Produces<CallRequestPage>().ProducesValidationProblem();
        api.MapAutodial();
        return api;
    }

    private static async Task<Results<JsonHttpResult<CallRequestView>, ValidationProblem, ProviderProblem, ProblemHttpResult>> PlaceAsync(
        HttpRequest request, AccountDirectory accounts, OutboundRegistry outbound, OutboundAnswers answers, CancellationToken ct)
    {
        JsonObject? body;
        try
        {
            // A repeated field is refused while parsing; left to the object it would throw on first use.
            body = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }, cancellationToken: ct) as JsonObject;
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "Body is not JSON", detail: ex.Message);
        }
        catch (InvalidOperationException)
        {
            // The duplicate check reads every name: one escaping half a surrogate pair (\uDFFF) fails there, not in the parse.
            return TypedResults.Problem(statusCode: 400, title: "Body is not JSON", detail: "A name or string holds invalid UTF-8 or half a surrogate pair.");
        }

        if (body is not null && !HoldsOnlyText(body))
        {
            return TypedResults.Problem(statusCode: 400, title: "Body is not JSON", detail: "A name or string holds invalid UTF-8 or half a surrogate pair.");
        }

        var errors = new Dictionary<string, string[]>();
        if (body is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["send a JSON object: account, operator, client, options"] });
        }

        var reader = new OptionReader(body, "", errors);
        var accountId = reader.String("account");
        var client = reader.String("client");
        var operators = Operators(body, errors);
        var options = reader.Object("options") ?? [];
        reader.RejectUnknown(["account", "operator", "client", "options"]);
        if (accountId is null && !errors.ContainsKey(".account"))
        {
            errors[".account"] = ["account is required"];
        }

        if (client is null && !errors.ContainsKey(".client"))
        {
            errors[".client"] = ["client is required: the number to call"];
        }

        var (account, problem) = await FindAsync(accountId, accounts, outbound, errors, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(Named(errors), title: "Invalid call request", detail: "Nothing was sent to the provider.");
        }

        if (problem is not null)
        {
            return problem;
        }

        var calls = outbound.Find(account!.Provider)!;
        var outcome = await calls.PlaceCallAsync(account, new PlaceCallInput(operators, client!, options), ct);
        return await answers.RecordAsync(account, "call", client, operators, outcome, view => view, ct);
    }

    /// <summary>The account, or the problem: unknown (400) or a provider without outbound calls in PbxHub (422).</summary>
    internal static async Task<(Account? Account, ProblemHttpResult? Problem)> FindAsync(
        string? accountId, AccountDirectory accounts, OutboundRegistry outbound, Dictionary<string, string[]> errors, CancellationToken ct, bool autodial = false)
    {
        if (accountId is null)
        {
            return (null, null);
        }

        if (await accounts.FindAsync(accountId, ct) is not { } account)
        {
            errors[".account"] = [$"no account '{accountId}'"];
            return (null, null);
        }

        if (account.SecretsProblem is { } unreadable)
        {
            return (account, TypedResults.Problem(statusCode: 503, title: "The account's credentials cannot be read",
                detail: $"Account '{account.Id}': {unreadable}. Nothing was sent."));
        }

        var client = outbound.Find(account.Provider);
        var what = autodial ? "autodial" : "click-to-call";
        var able = outbound.Providers.Where(p => !autodial || outbound.Find(p)!.SupportsAutodial).Order(StringComparer.Ordinal);
        if (client is null || (autodial && !client.SupportsAutodial))
        {
            return (account, TypedResults.Problem(statusCode: 422, title: $"The provider has no {what} in PbxHub",
                detail: $"Account '{account.Id}' uses {account.Provider}, which has no {what} in PbxHub; {what} works for: {string.Join(", ", able)}. Nothing was sent."));
        }

        return (account, null);
    }

    /// <summary>The parse checks the structure only: a name or string that is no valid text throws when first read.</summary>
    private static bool HoldsOnlyText(JsonNode node)
    {
        try
        {
            ReadAll(node);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void ReadAll(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    ReadAll(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    ReadAll(child);
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                _ = v.GetValue<string>();
                break;
        }
    }

    /// <summary><c>operator</c>: one extension or number, or a list of them.</summary>
    private static List<string> Operators(JsonObject body, Dictionary<string, string[]> errors)
    {
        switch (body["operator"])
        {
            case null:
                return [];
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Trim() is { Length: > 0 } one:
                return [one];
            case JsonArray list when list.Count > 0 && list.All(i => i?.GetValueKind() == JsonValueKind.String && i.GetValue<string>().Trim().Length > 0):
                return list.Select(i => i!.GetValue<string>().Trim()).ToList();
            default:
                errors[".operator"] = ["operator must be an extension or number, or a non-empty list of them"];
                return [];
        }
    }

    /// <summary>
    /// What placing a call answers beyond what its result types tell the document (a validation problem, a provider's problem;
    /// the success is written with the call record's JSON options, which <c>Ok&lt;T&gt;</c> would not use, so it is named
    /// beside): the account's credentials cannot be read (503), plain problem details.
    /// </summary>
    internal static RouteHandlerBuilder DescribeOutboundAnswers(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>Top-level fields are named plainly (<c>account</c>), provider options by path (<c>options.numb</c>).</summary>
    internal static Dictionary<string, string[]> Named(Dictionary<string, string[]> errors) =>
        errors.ToDictionary(e => e.Key.TrimStart('.'), e => e.Value);

    private static async Task<Results<JsonHttpResult<CallRequestPage>, ValidationProblem>> ListAsync(
        string? account, string? limit, ICallRequestStore store, IOptions<OutboundOptions> options, CancellationToken ct)
    {
        var count = 100;
        if (limit is not null && (!int.TryParse(limit, CultureInfo.InvariantCulture, out count) || count is < 1 or > 1000))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be a whole number from 1 to 1000"] }, title: "Invalid query");
        }

        if (account is not null && !Accounts.AccountValidation.IsId(account))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["account"] = ["account must be an account id (lower-case letters, digits, '-' or '_')"] }, title: "Invalid query");
        }

        var items = await store.ListAsync(account, count, options.Value.LinkWindow, ct);
        return TypedResults.Json(new CallRequestPage(items.Select(OutboundAnswers.View).ToList()), OutboundAnswers.CallJsonOptions);
    }
}
