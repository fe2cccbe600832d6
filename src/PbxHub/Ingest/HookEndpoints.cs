using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Providers;
using PbxHub.Security;
using PbxHub.Storage;

namespace PbxHub.Ingest;

/// <summary>
/// <c>/hooks/{accountId}/{secret}</c> (Sipuni, HookType) and <c>/hooks/{accountId}</c> (header-token
/// providers): store the request raw, then answer the provider the way it expects.
/// </summary>
internal static partial class HookEndpoints
{
    private static readonly string[] KeptHeaders = ["User-Agent", "X-Forwarded-For", "X-Real-IP", "Content-Length"];

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/hooks/{accountId}/{secret}", ["GET", "POST"], (HttpContext http, string accountId, string secret) => ReceiveAsync(http, accountId, secret))
            .ExcludeFromDescription().RequireRateLimiting(NetworkServiceCollectionExtensions.HooksPerSource);
        app.MapMethods("/hooks/{accountId}", ["GET", "POST"], (HttpContext http, string accountId) => ReceiveAsync(http, accountId, null))
            .ExcludeFromDescription().RequireRateLimiting(NetworkServiceCollectionExtensions.HooksPerSource);
        return app;
    }

    private static async Task ReceiveAsync(HttpContext http, string accountId, string? secret)
    {
        var services = http.RequestServices;
        var ct = http.RequestAborted;
        var account = await services.GetRequiredService<AccountDirectory>().FindAsync(accountId, ct);
        if (account is null)
        {
            await Results.Problem(statusCode: 404, title: "Unknown account", detail: $"No account '{accountId}'.").ExecuteAsync(http);
            return;
        }

        var adapter = services.GetRequiredService<ProviderRegistry>().Get(account.Provider);
        if (!AccountNetworks.Allows(account, http.Connection.RemoteIpAddress))
        {
            await HookRefusals.NotAllowedAsync(http, account, adapter);
            return;
        }

        if (account.SecretsProblem is not null)
        {
            // Its secret cannot be decrypted (key ring missing): unstored, so "try later", and the log says why.
            await WriteAsync(http, adapter.Rejected("temporarily unable to authenticate the request") with { StatusCode = 503 });
            return;
        }

        // Before the body is read: a stranger's request costs no buffering and learns nothing of the size limit.
        if (!adapter.Authenticate(account, secret, http.Request.Headers))
        {
            LogForbidden(services.GetRequiredService<ILogger<IngestWriter>>(), account.Id);
            await WriteAsync(http, adapter.Denied());
            return;
        }

        var limit = services.GetRequiredService<IOptions<IngestOptions>>().Value.MaxBodyBytes;
        var body = await ReadBodyAsync(http.Request, limit, ct);
        if (body is null)
        {
            services.GetRequiredService<NetworkMetrics>().Refused(HookRefusals.Surface, RefusalReasons.TooLarge);
            await WriteAsync(http, adapter.Rejected($"request body larger than {limit} bytes") with { StatusCode = 413 });
            return;
        }

        var request = new RawRequest(
            http.Request.Method,
            http.Request.ContentType,
            http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : "",
            body,
            KeptHeaders.Where(h => http.Request.Headers.ContainsKey(h)).ToDictionary(h => h, h => http.Request.Headers[h].ToString()),
            RawRequest.Stamp(services.GetRequiredService<TimeProvider>()));
        // Counted only once the request authenticated: knowing an account's id must not be enough to spend its allowance.
        if (services.GetRequiredService<CallerRateLimits>().HookRefusal(account.Id) is { } retryAfter)
        {
            await HookRefusals.AccountLimitedAsync(http, account, adapter, retryAfter);
            return;
        }

        var parse = adapter.ParseSafely(account, request);
        var row = parse switch
        {
            HookParse.Parsed p => new RawRow(0, account.Id, account.Provider, RawKinds.Hook, p.CallKey, p.DedupeKey, request, null),
            HookParse.Failed f => new RawRow(0, account.Id, account.Provider, RawKinds.Quarantined, null, QuarantineKey(request), request, f.Reason),
            _ => throw new InvalidOperationException(),
        };

        StoredRaw stored;
        try
        {
            stored = await services.GetRequiredService<IngestWriter>().WriteAsync(account, row, ct, (parse as HookParse.Parsed)?.Signals);
        }
        catch (IngestOverloadedException)
        {
            await HookRefusals.OverloadedAsync(http, adapter);
            return;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Not stored, so not acknowledged: the provider's retry will bring it again.
            await HookRefusals.StorageFaultAsync(http, adapter);
            return;
        }

        await WriteAsync(http, parse is HookParse.Parsed parsed ? adapter.Accepted(account, parsed, stored) : adapter.Quarantined(row.Reason!));
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is larger.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        if (request.ContentLength == 0)
        {
            return []; // most hooks are GETs with no body at all
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string QuarantineKey(RawRequest request)
    {
        var text = request.Method + "\n" + request.Query + "\n";
        var bytes = Encoding.UTF8.GetBytes(text).Concat(request.Body).ToArray();
        return "raw:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    internal static Task WriteAsync(HttpContext http, HookReply reply)
    {
        http.Response.StatusCode = reply.StatusCode;
        http.Response.ContentType = reply.ContentType;
        return http.Response.WriteAsync(reply.Body, http.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hook request for account {Account} failed authentication")]
    private static partial void LogForbidden(ILogger logger, string account);
}

internal static class IngestServiceCollectionExtensions
{
    public static IServiceCollection AddIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section)).ValidateAnnotations().ValidateOnStart();
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton(new SchedulingClock(TimeProvider.System));
        services.AddSingleton<IngestWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
        return services;
    }
}
