using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PbxHub.Calls;
using Polly.Timeout;

namespace PbxHub.Providers;

/// <summary>
/// Sends the providers' JSON requests through the <c>outbound</c> client. Only requests marked
/// idempotent (no call can result) are retried by the resilience handler; a request that may place a
/// call is sent once, and a missing answer is reported as "may or may not have been placed".
/// </summary>
internal sealed class OutboundHttp(IHttpClientFactory factory)
{
    public const string ClientName = "outbound";

    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("PbxHub.Idempotent");

    /// <summary>No answer came back (no connection, the timeout), as opposed to the caller giving up (<paramref name="ct"/>).</summary>
    public static bool NoAnswer(Exception ex, CancellationToken ct) =>
        ex is TimeoutRejectedException or HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested);

    /// <param name="shown">The body as the answer and the request log show it (credentials masked).</param>
    /// <param name="placesCall">A missing answer means a call may have been placed.</param>
    public async Task<HttpOutcome> PostJsonAsync(
        Uri url, JsonNode body, JsonNode shown, string? authorization, bool placesCall, string provider, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(CallJson.Options), Encoding.UTF8, "application/json"),
        };
        request.Options.Set(Idempotent, !placesCall);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await factory.CreateClient(ClientName).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return new HttpOutcome((int)response.StatusCode, text, new ProviderExchange(url.ToString(), shown, (int)response.StatusCode, text), null);
        }
        catch (Exception ex) when (NoAnswer(ex, ct))
        {
            var timedOut = ex is not HttpRequestException;
            var neverArrived = ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
            var uncertain = placesCall && !neverArrived;
            var problem = new OutboundProblem(
                timedOut ? 504 : 502,
                timedOut ? $"{provider} did not answer in time" : $"{provider} could not be reached",
                timedOut ? $"No answer from {url.GetLeftPart(UriPartial.Path)} within the configured timeout (PbxHub:Outbound:RequestTimeout)."
                         : $"{url.GetLeftPart(UriPartial.Authority)}: {ex.Message}",
                uncertain
                    ? "The call may or may not have been placed: PbxHub does not repeat it by itself. Look for it in the call journal before trying again."
                    : $"Check that {provider}'s address in the account settings is right and reachable from PbxHub, then try again.",
                MayHaveBeenPlaced: uncertain);
            return new HttpOutcome(null, null, new ProviderExchange(url.ToString(), shown, null, null), problem);
        }
    }
}

/// <param name="TransportProblem">Set when no HTTP answer came back.</param>
internal sealed record HttpOutcome(int? Status, string? Body, ProviderExchange Exchange, OutboundProblem? TransportProblem);
