using System.Net;
using PbxHub.Providers;

namespace PbxHub.Reconciliation;

/// <summary>An answer of a provider's history as received, whatever its status.</summary>
internal sealed record HistoryAnswer(HttpStatusCode Status, string? ContentType, byte[] Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>How the history readers that speak plain HTTP send their requests (the UIS reader goes through its JSON-RPC client).</summary>
internal static class HistoryHttp
{
    /// <summary>
    /// Sends through the hub's <c>outbound</c> client (its timeout and blocked networks; retried, since reading places no call).
    /// No answer at all (no connection, no answer in time) is <see cref="HistoryUnavailableException"/>.
    /// </summary>
    /// <param name="what">What was asked, in words, for the error (e.g. <c>Sipuni (POST …/statistic/export)</c>).</param>
    public static async Task<HistoryAnswer> SendAsync(IHttpClientFactory http, HttpRequestMessage request, string what, CancellationToken ct)
    {
        request.Options.Set(OutboundHttp.Idempotent, true);
        try
        {
            using var response = await http.CreateClient(OutboundHttp.ClientName).SendAsync(request, ct);
            return new HistoryAnswer(response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync(ct));
        }
        catch (Exception ex) when (OutboundHttp.NoAnswer(ex, ct))
        {
            throw new HistoryUnavailableException(ex is HttpRequestException
                ? $"{what} could not be reached: {ex.Message}"
                : $"{what} did not answer in time (PbxHub:Outbound:RequestTimeout)", ex);
        }
    }
}
