using PbxHub.Accounts;
using PbxHub.Ingest;
using PbxHub.Providers;

namespace PbxHub.Security;

/// <summary>
/// Hook requests the hub refuses before storing them, answered in the provider's own failure shape. None is
/// acknowledged, so none is lost: the provider keeps it and sends it again.
/// </summary>
internal static partial class HookRefusals
{
    public const string Surface = "hooks";

    /// <summary>403 with the provider's denial, as for a wrong secret: the source is outside the account's allow-list.</summary>
    public static Task NotAllowedAsync(HttpContext http, Account account, IProviderAdapter adapter)
    {
        var services = http.RequestServices;
        services.GetRequiredService<NetworkMetrics>().Refused(Surface, RefusalReasons.NotAllowed);
        LogNotAllowed(Logger(services), account.Id, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return HookEndpoints.WriteAsync(http, adapter.Denied());
    }

    /// <summary>429 with <c>Retry-After</c> and the provider's failure body (<c>{"success": false, …}</c>, Evrotel's plain text).</summary>
    public static Task RateLimitedAsync(HttpContext http, IProviderAdapter adapter, string reason, int retryAfterSeconds)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return HookEndpoints.WriteAsync(http, adapter.Rejected($"too many requests {reason}; retry after {retryAfterSeconds} s") with { StatusCode = 429 });
    }

    /// <summary>The per-account limit, counted after the request authenticated.</summary>
    public static Task AccountLimitedAsync(HttpContext http, Account account, IProviderAdapter adapter, int retryAfterSeconds)
    {
        var services = http.RequestServices;
        services.GetRequiredService<NetworkMetrics>().Refused(Surface, RefusalReasons.PerAccount);
        LogAccountLimited(Logger(services), account.Id, retryAfterSeconds);
        return RateLimitedAsync(http, adapter, "for this account", retryAfterSeconds);
    }

    /// <summary>
    /// 503 with <c>Retry-After</c> and the provider's failure body: the ingest queue stayed full, so the request was not
    /// stored and the provider must send it again.
    /// </summary>
    public static Task OverloadedAsync(HttpContext http, IProviderAdapter adapter) =>
        RetryLaterAsync(http, adapter, RefusalReasons.Overloaded, "overloaded");

    /// <summary>
    /// The same answer when the database refused the write or did not answer (docs/deployment.md, "When the database
    /// fails"): the request was not stored, so the provider must send it again.
    /// </summary>
    public static Task StorageFaultAsync(HttpContext http, IProviderAdapter adapter) =>
        RetryLaterAsync(http, adapter, RefusalReasons.StorageFault, "temporarily unable to store");

    private static Task RetryLaterAsync(HttpContext http, IProviderAdapter adapter, string reason, string why)
    {
        http.RequestServices.GetRequiredService<NetworkMetrics>().Refused(Surface, reason);
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return HookEndpoints.WriteAsync(http, adapter.Rejected($"{why}, the event was not stored; retry after {RetryAfterSeconds} s") with { StatusCode = 503 });
    }

    /// <summary>
    /// A full queue drains in seconds (thousands of requests a second); a provider that waits longer only delays its
    /// event. A database restart takes about as long.
    /// </summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The per-source limit (the rate limiting middleware, before the account is looked up).</summary>
    public static async Task SourceLimitedAsync(HttpContext http, int retryAfterSeconds)
    {
        var services = http.RequestServices;
        var accountId = http.GetRouteValue("accountId") as string;
        var account = accountId is null ? null : await services.GetRequiredService<AccountDirectory>().FindAsync(accountId, http.RequestAborted);
        if (account is null)
        {
            await ApiRefusals.RateLimitedAsync(http, "from this address", retryAfterSeconds);
            return;
        }

        await RateLimitedAsync(http, services.GetRequiredService<ProviderRegistry>().Get(account.Provider), "from this address", retryAfterSeconds);
    }

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger("PbxHub.Security");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hook request for account {Account} from {Source} denied: the address is outside the account's Network:AllowedNetworks")]
    private static partial void LogNotAllowed(ILogger logger, string account, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hook request for account {Account} refused with 429: over PbxHub:Network:RateLimits:HooksPerAccount (retry after {Seconds} s)")]
    private static partial void LogAccountLimited(ILogger logger, string account, int seconds);
}
