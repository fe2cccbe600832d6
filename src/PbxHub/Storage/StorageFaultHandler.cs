using Microsoft.AspNetCore.Diagnostics;

namespace PbxHub.Storage;

/// <summary>
/// A request that failed because the database did (down, refusing, full): 503 problem details with <c>Retry-After</c>
/// instead of a 500, counted into the storage fault episode instead of a stack trace per request.
/// </summary>
internal sealed class StorageFaultHandler(StorageFaults faults) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        // The route's pattern, not the path: a hook's path holds its secret.
        var where = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "a request";
        if (http.Response.HasStarted || !faults.Absorb(exception, $"{http.Request.Method} {where}"))
        {
            return false;
        }

        http.Response.Headers.RetryAfter = Security.HookRefusals.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Storage unavailable",
            detail: "The database did not answer or refused the request; nothing was changed. Try again shortly.").ExecuteAsync(http);
        return true;
    }
}
