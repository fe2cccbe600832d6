namespace PbxHub.Security;

/// <summary>API requests refused before their work, as RFC 9457 problem details.</summary>
internal static class ApiRefusals
{
    public const string Surface = "api";

    public static Task RateLimitedAsync(HttpContext http, string reason, int retryAfterSeconds) =>
        RateLimited(http, reason, retryAfterSeconds).ExecuteAsync(http);

    /// <summary>429 problem details; sets <c>Retry-After</c> on the response at once.</summary>
    public static IResult RateLimited(HttpContext http, string reason, int retryAfterSeconds)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: 429, title: "Too many requests",
            detail: $"Too many requests {reason}; retry after {retryAfterSeconds} s. Nothing was done for this request.");
    }

    public static Task TooLargeAsync(HttpContext http, long limit) =>
        Results.Problem(
            statusCode: 413, title: "Request body too large",
            detail: $"This endpoint takes at most {limit} bytes (PbxHub:Network:MaxApiBodyBytes; autodial: PbxHub:Outbound:MaxMediaBytes). Nothing was done.").ExecuteAsync(http);

    public static Task NulInQueryAsync(HttpContext http) =>
        Results.Problem(
            statusCode: 400, title: "Invalid query",
            detail: "A query parameter contains the character U+0000 (%00), which no filter or id can hold. Nothing was done.").ExecuteAsync(http);
}
