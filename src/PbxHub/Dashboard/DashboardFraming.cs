namespace PbxHub.Dashboard;

/// <summary>
/// The dashboard's pages refuse to be shown inside another site's frame (clickjacking: a hidden frame over a
/// decoy button that resends deliveries or signs out). CSP <c>frame-ancestors</c> for today's browsers,
/// <c>X-Frame-Options</c> for older ones.
/// </summary>
internal static class DashboardFraming
{
    /// <summary>Endpoint metadata of the pages that must not be framed.</summary>
    public static readonly object Forbidden = new FramingForbidden();

    public static Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<FramingForbidden>() is not null)
        {
            http.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            http.Response.Headers.XFrameOptions = "DENY";
        }

        return next(http);
    }

    private sealed class FramingForbidden;
}
