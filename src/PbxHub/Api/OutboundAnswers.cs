using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Providers;
using PbxHub.Storage;

namespace PbxHub.Api;

/// <summary>A stored request as the API shows it; <c>callId</c> is the call that most likely resulted.</summary>
internal sealed record CallRequestView(
    string Id, string Account, string Provider, string Kind, string? Client, IReadOnlyList<string> Operators, DateTimeOffset RequestedAt,
    string Status, JsonNode? Exchanges, JsonNode? Problem, string? CallId);

/// <summary>Turns an outbound outcome into the stored request and the API's answer.</summary>
internal sealed class OutboundAnswers(ICallRequestStore store, TimeProvider time)
{
    public async Task<IResult> RecordAsync(
        Account account, string kind, string? client, IReadOnlyList<string> operators, OutboundOutcome outcome, JsonObject? extra, CancellationToken ct)
    {
        var id = "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var (status, exchanges, problem) = outcome switch
        {
            OutboundOutcome.Placed p => ("placed", p.Exchanges, (IResult?)null),
            OutboundOutcome.Failed f => (f.Problem.MayHaveBeenPlaced ? "uncertain" : "failed", f.Exchanges, Problem(id, account, f.Problem, f.Exchanges)),
            OutboundOutcome.Invalid i => ("invalid", (IReadOnlyList<ProviderExchange>)[], Results.ValidationProblem(
                i.Errors, title: "Invalid call request", detail: "Nothing was sent to the provider.", extensions: new Dictionary<string, object?> { ["requestId"] = id })),
            OutboundOutcome.Unsupported u => ("unsupported", [], Results.Problem(statusCode: 422, title: "Not available for this provider", detail: u.Reason)),
            _ => throw new InvalidOperationException("unknown outcome"),
        };
        var exchangesJson = JsonSerializer.SerializeToNode(exchanges, CallJsonOptions);
        var problemJson = outcome is OutboundOutcome.Failed failed ? ProblemJson(failed.Problem) : null;
        var clientNumber = client is null ? null : Parties.ToE164(client, account.Country);
        var row = new CallRequestRow(id, account.Id, account.Provider, kind, client, clientNumber, operators, time.GetUtcNow(), status,
            exchangesJson!.ToJsonString(), problemJson?.ToJsonString());
        await store.AddAsync(row, ct);
        if (problem is not null)
        {
            return problem;
        }

        var view = JsonSerializer.SerializeToNode(View(new LinkedCallRequest(row, null)), CallJsonOptions)!.AsObject();
        foreach (var (name, value) in extra ?? [])
        {
            view[name] = value?.DeepClone();
        }

        return Results.Json(view, CallJsonOptions);
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
    private static IResult Problem(string id, Account account, OutboundProblem p, IReadOnlyList<ProviderExchange> exchanges) =>
        RetryAfter.With(p.RetryAfterSeconds, Results.Problem(statusCode: p.Status, title: p.Title, detail: p.Detail, extensions: new Dictionary<string, object?>
        {
            ["requestId"] = id,
            ["account"] = account.Id,
            ["provider"] = account.Provider,
            ["providerCode"] = p.ProviderCode,
            ["providerMessage"] = p.ProviderMessage,
            ["providerData"] = p.ProviderData,
            ["remedy"] = p.Remedy,
            ["mayHaveBeenPlaced"] = p.MayHaveBeenPlaced,
            ["exchanges"] = JsonSerializer.SerializeToNode(exchanges, CallJsonOptions),
        }));
}

/// <summary>A result with <c>Retry-After</c> set when the provider's fault says when to try again.</summary>
internal sealed class RetryAfter(int seconds, IResult inner) : IResult
{
    public static IResult With(int? seconds, IResult inner) => seconds is { } s ? new RetryAfter(s, inner) : inner;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }
}
