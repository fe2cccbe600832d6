using Microsoft.AspNetCore.Diagnostics;

namespace PbxHub.Security;

/// <summary>
/// A request Kestrel itself refuses while the hub reads it (a body sent slower than <c>MinRequestBodyDataRate</c>,
/// a malformed one): the client's fault, answered with Kestrel's status (408, 400, …) as problem details and
/// logged quietly, where it used to be a 500 with a stack trace. Nothing of such a request was stored, so a
/// provider sends it again.
/// </summary>
internal sealed partial class BadRequestHandler(NetworkMetrics metrics, ILogger<BadRequestHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var hooks = http.Request.Path.StartsWithSegments("/hooks", StringComparison.OrdinalIgnoreCase);
        var timedOut = bad.StatusCode == StatusCodes.Status408RequestTimeout;
        metrics.Refused(hooks ? HookRefusals.Surface : ApiRefusals.Surface, timedOut ? RefusalReasons.SlowBody : RefusalReasons.BadRequest);
        // The surface, not the path: a hook path carries the account's secret.
        LogRefused(logger, bad.StatusCode, http.Request.Method, hooks ? HookRefusals.Surface : ApiRefusals.Surface, bad.Message);
        if (http.Response.HasStarted)
        {
            return true;
        }

        http.Response.Clear();
        await Results.Problem(
            statusCode: bad.StatusCode,
            title: timedOut ? "Request body not received in time" : "Bad request",
            detail: timedOut
                ? "The request body arrived too slowly and was not read to its end. Nothing was stored or done; send the request again."
                : $"{bad.Message} Nothing was stored or done.").ExecuteAsync(http);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered {Status} to a {Method} request on {Surface}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string method, string surface, string reason);
}
