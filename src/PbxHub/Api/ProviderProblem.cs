using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace PbxHub.Api;

/// <summary>
/// A provider's refusal or failure as RFC 9457 problem details, with the provider's own code, message and data, the remedy,
/// and what was exchanged (docs/api.md). PbxHub's own 422 (no outbound calls for the provider) has only the standard members.
/// </summary>
internal sealed class ProviderProblemDetails : ProblemDetails
{
    /// <summary>The stored request (<c>GET /api/v1/calls/requests</c>).</summary>
    public string? RequestId { get; init; }

    public string? Account { get; init; }

    public string? Provider { get; init; }

    /// <summary>The provider's own error code, as text (UIS: <c>-32004</c>; Evrotel: the HTTP status).</summary>
    public string? ProviderCode { get; init; }

    public string? ProviderMessage { get; init; }

    /// <summary>The provider's error data, as it sent it.</summary>
    public JsonNode? ProviderData { get; init; }

    /// <summary>What the user can do about it.</summary>
    public string? Remedy { get; init; }

    /// <summary>The request reached the provider but no answer came back: look in the journal before trying again.</summary>
    public bool MayHaveBeenPlaced { get; init; }

    /// <summary>The requests sent to the provider (credentials masked) and what came back.</summary>
    public JsonNode? Exchanges { get; init; }
}

/// <summary>The typed result of a provider's problem: its status, <c>Retry-After</c> when the provider says when, and its schema in the document.</summary>
internal sealed class ProviderProblem(ProviderProblemDetails details, int? retryAfterSeconds)
    : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult<ProviderProblemDetails>, IValueHttpResult
{
    /// <summary>Refused (422), over the provider's limit (429), failed or unreachable (502), no answer in time (504).</summary>
    private static readonly int[] Statuses = [StatusCodes.Status422UnprocessableEntity, StatusCodes.Status429TooManyRequests,
        StatusCodes.Status502BadGateway, StatusCodes.Status504GatewayTimeout];

    public ProviderProblemDetails Value => details;

    object? IValueHttpResult.Value => details;

    public int? StatusCode => details.Status;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        foreach (var status in Statuses)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProviderProblemDetails), ["application/problem+json"]));
        }
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (retryAfterSeconds is { } seconds)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(details).ExecuteAsync(httpContext);
    }
}
