using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PbxHub.Api;
using PbxHub.Providers;

namespace PbxHub.Security;

/// <summary>
/// The largest body an API request may carry: <c>PbxHub:Network:MaxApiBodyBytes</c>, or room for the WAV on
/// <c>POST /api/v1/autodial</c>. Announced lengths are refused before anything is read; a chunked body is
/// stopped by Kestrel when it passes the limit.
/// </summary>
internal static class ApiBodyLimit
{
    /// <summary>Form fields and multipart boundaries around the autodial WAV.</summary>
    private const int FormOverhead = 64 * 1024;

    public static async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            if (HasNulInQuery(http.Request.Query))
            {
                await ApiRefusals.NulInQueryAsync(http);
                return;
            }

            var limit = Limit(http);
            if (http.Request.ContentLength > limit)
            {
                http.RequestServices.GetRequiredService<NetworkMetrics>().Refused(ApiRefusals.Surface, RefusalReasons.TooLarge);
                await ApiRefusals.TooLargeAsync(http, limit);
                return;
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }
        }

        await next(http);
    }

    /// <summary>No stored text can hold U+0000 (PostgreSQL refuses it), so no filter or id in a query may carry one.</summary>
    private static bool HasNulInQuery(IQueryCollection query) =>
        query.Any(p => p.Key.Contains('\0', StringComparison.Ordinal) || p.Value.Any(v => v is not null && v.Contains('\0', StringComparison.Ordinal)));

    private static long Limit(HttpContext http)
    {
        var limit = http.RequestServices.GetRequiredService<IOptions<NetworkOptions>>().Value.MaxApiBodyBytes;
        return http.Request.Path.StartsWithSegments("/api/v1/autodial", StringComparison.OrdinalIgnoreCase)
            ? Math.Max(limit, (long)http.RequestServices.GetRequiredService<IOptions<OutboundOptions>>().Value.MaxMediaBytes + FormOverhead)
            : limit;
    }
}

/// <summary>The per-key API limit, after <see cref="ApiKeyFilter"/> let the request in.</summary>
internal sealed class ApiKeyRateLimitFilter(CallerRateLimits limits, NetworkMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (limits.ApiRefusal(Caller(http)) is not { } retryAfter)
        {
            return await next(context);
        }

        metrics.Refused(ApiRefusals.Surface, RefusalReasons.PerKey);
        return ApiRefusals.RateLimited(http, "for this API key", retryAfter);
    }

    /// <summary>The key's hash (as <see cref="ApiKeyFilter"/> found it valid) for bearer callers; a signed-in dashboard is counted per address.</summary>
    private static string Caller(HttpContext http) =>
        http.Items[ApiKeyFilter.KeyHashItem] is string hash
            ? "key:" + hash
            : "dashboard:" + NetworkAddresses.SourceKey(http.Connection.RemoteIpAddress);
}
