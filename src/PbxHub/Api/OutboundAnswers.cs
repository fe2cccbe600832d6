using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Providers;
using PbxHub.Storage;

namespace PbxHub.Api;

/// <summary>A stored request as the API shows it; <c>callId</c> is the call that most likely resulted.</summary>
internal record CallRequestView(
    string Id, string Account, string Provider, string Kind, string? Client, IReadOnlyList<string> Operators, DateTimeOffset RequestedAt,
    string Status, JsonNode? Exchanges, JsonNode? Problem, string? CallId);

/// <summary>The WAV an autodial plays, kept by PbxHub at an unguessable URL for the provider to fetch.</summary>
internal sealed record AutodialMedia(string Id, string Url);

/// <summary>An autodial request as <c>POST /autodial</c> answers it: the stored request and its media.</summary>
internal sealed record AutodialRequestView(
    string Id, string Account, string Provider, string Kind, string? Client, IReadOnlyList<string> Operators, DateTimeOffset RequestedAt,
    string Status, JsonNode? Exchanges, JsonNode? Problem, string? CallId, AutodialMedia Media)
    : CallRequestView(Id, Account, Provider, Kind, Client, Operators, RequestedAt, Status, Exchanges, Problem, CallId)
{
    public AutodialRequestView(CallRequestView v, AutodialMedia media)
        : this(v.Id, v.Account, v.Provider, v.Kind, v.Client, v.Operators, v.RequestedAt, v.Status, v.Exchanges, v.Problem, v.CallId, media)
    {
    }
}

/// <summary>Turns an outbound outcome into the stored request and the API's answer.</summary>
internal sealed class OutboundAnswers(ICallRequestStore store, TimeProvider time)
{
    /// <summary>Stores the request and answers it: <paramref name="view"/> shapes the success (autodial adds its media).</summary>
    public async Task<Results<JsonHttpResult<TView>, ValidationProblem, ProviderProblem, ProblemHttpResult>> RecordAsync<TView>(
        Account account, string kind, string? client, IReadOnlyList<string> operators, OutboundOutcome outcome, Func<CallRequestView, TView> view,
        CancellationToken ct)
        where TView : CallRequestView
    {
        var id = "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var status = outcome switch
        {
            OutboundOutcome.Placed => "placed",
            OutboundOutcome.Failed f => f.Problem.MayHaveBeenPlaced ? "uncertain" : "failed",
            OutboundOutcome.Invalid => "invalid",
            OutboundOutcome.Unsupported => "unsupported",
            _ => throw new InvalidOperationException("unknown outcome"),
        };
        var exchanges = outcome switch
        {
            OutboundOutcome.Placed p => p.Exchanges,
            OutboundOutcome.Failed f => f.Exchanges,
            _ => [],
        };
        var exchangesJson = JsonSerializer.SerializeToNode(exchanges, CallJsonOptions);
        var problemJson = outcome is OutboundOutcome.Failed failed ? ProblemJson(failed.Problem) : null;
        var clientNumber = client is null ? null : Parties.ToE164(client, account.Country);
        var row = new CallRequestRow(id, account.Id, account.Provider, kind, client, clientNumber, operators, time.GetUtcNow(), status,
            exchangesJson!.ToJsonString(), problemJson?.ToJsonString());
        await store.AddAsync(row, ct);
        return outcome switch
        {
            OutboundOutcome.Failed f => Problem(id, account, f.Problem, exchangesJson),
            OutboundOutcome.Invalid i => TypedResults.ValidationProblem(i.Errors, title: "Invalid call request",
                detail: "Nothing was sent to the provider.", extensions: new Dictionary<string, object?> { ["requestId"] = id }),
            OutboundOutcome.Unsupported u => TypedResults.Problem(statusCode: 422, title: "Not available for this provider", detail: u.Reason),
            _ => TypedResults.Json(view(View(new LinkedCallRequest(row, null))), CallJsonOptions),
        };
    }

    public static CallRequestView View(LinkedCallRequest linked)
    {
        var r = linked.Request;
        return new CallRequestView(r.Id, r.Account, r.Provider, r.Kind, r.Client, r.Operators, r.RequestedAt, r.Status,
            JsonNode.Parse(r.Exchanges), r.Problem is null ? null : JsonNode.Parse(r.Problem), linked.CallId);
    }

    internal static JsonSerializerOptions CallJsonOptions => CallJson.Options;

    private static JsonObject ProblemJson(OutboundProblem p) => new()
    {
        ["title"] = p.Title, ["detail"] = p.Detail, ["remedy"] = p.Remedy, ["providerCode"] = p.ProviderCode,
        ["providerMessage"] = p.ProviderMessage, ["providerData"] = p.ProviderData?.DeepClone(), ["mayHaveBeenPlaced"] = p.MayHaveBeenPlaced,
    };

    /// <summary>RFC 9457 with the provider's own code, message and data, the remedy, and what was exchanged.</summary>
    private static ProviderProblem Problem(string id, Account account, OutboundProblem p, JsonNode? exchanges) => new(new ProviderProblemDetails
    {
        Status = p.Status,
        Title = p.Title,
        Detail = p.Detail,
        RequestId = id,
        Account = account.Id,
        Provider = account.Provider,
        ProviderCode = p.ProviderCode,
        ProviderMessage = p.ProviderMessage,
        ProviderData = p.ProviderData?.DeepClone(),
        Remedy = p.Remedy,
        MayHaveBeenPlaced = p.MayHaveBeenPlaced,
        Exchanges = exchanges?.DeepClone(),
    }, p.RetryAfterSeconds);
}
