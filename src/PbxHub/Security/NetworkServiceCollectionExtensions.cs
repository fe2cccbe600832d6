using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace PbxHub.Security;

internal static class NetworkServiceCollectionExtensions
{
    public const string HooksPerSource = "hooks-per-source";
    public const string ApiPerSource = "api-per-source";

    public static IServiceCollection AddNetwork(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(NetworkOptions.Section);
        services.AddOptions<NetworkOptions>().Bind(section).PostConfigure(o =>
        {
            // "10.0.0.5,10.0.0.6" in one variable or a list (KnownProxies:0, :1); either may hold commas.
            Flatten(o.KnownProxies, section[nameof(o.KnownProxies)]);
            Flatten(o.KnownNetworks, section[nameof(o.KnownNetworks)]);
        }).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NetworkOptions>, NetworkOptionsValidator>();
        services.AddSingleton<NetworkMetrics>();
        services.AddSingleton<CallerRateLimits>();
        services.AddSingleton<ApiKeyRateLimitFilter>();
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(NetworkMetrics.MeterName));
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((f, n) => TrustProxies(f, n.Value));
        services.AddOptions<HstsOptions>().Configure<IOptions<NetworkOptions>>((h, n) => h.MaxAge = n.Value.HstsMaxAge);
        // Kestrel reads its endpoints from "Kestrel" but not its limits: bind them too (request line, headers).
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => configuration.GetSection("Kestrel:Limits").Bind(k.Limits));
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<NetworkOptions>>((r, n) => LimitSources(r, n.Value.RateLimits));
        return services;
    }

    /// <summary>Before everything that looks at the client: forwarded headers, HSTS, API body size, per-source limits.</summary>
    public static WebApplication UseNetwork(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseWhen(http => http.RequestServices.GetRequiredService<IOptions<NetworkOptions>>().Value.HstsMaxAge > TimeSpan.Zero, https => https.UseHsts());

        app.Use(ApiBodyLimit.InvokeAsync);
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The API's limits: per source address (before the key is checked) and per key (after).</summary>
    public static RouteGroupBuilder WithApiRateLimits(this RouteGroupBuilder api) =>
        api.RequireRateLimiting(ApiPerSource).AddEndpointFilter<ApiKeyRateLimitFilter>();

    private static void Flatten(List<string> entries, string? scalar)
    {
        var all = entries.Append(scalar).SelectMany(NetworkAddresses.Split).ToList();
        entries.Clear();
        entries.AddRange(all);
    }

    /// <summary>Nothing is believed by default, not even loopback: only the proxies the operator names.</summary>
    private static void TrustProxies(ForwardedHeadersOptions forwarded, NetworkOptions options)
    {
        // With both lists empty the middleware believes every sender, so without proxies it reads no header at all.
        forwarded.ForwardedHeaders = options.KnownProxies.Count + options.KnownNetworks.Count == 0
            ? ForwardedHeaders.None
            : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.ForwardLimit = options.ForwardLimit;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // The old list still holds 127.0.0.0/8 by default and is still consulted.
        forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
        foreach (var proxy in options.KnownProxies)
        {
            if (NetworkAddresses.TryParseAddress(proxy, out var address))
            {
                forwarded.KnownProxies.Add(address);
                if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    forwarded.KnownProxies.Add(address.MapToIPv6()); // the same proxy seen on a dual-stack socket
                }
            }
        }

        foreach (var text in options.KnownNetworks)
        {
            if (NetworkAddresses.TryParseNetwork(text, out var network, out _))
            {
                forwarded.KnownIPNetworks.Add(network);
                if (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    forwarded.KnownIPNetworks.Add(new System.Net.IPNetwork(network.BaseAddress.MapToIPv6(), network.PrefixLength + 96));
                }
            }
        }
    }

    private static void LimitSources(RateLimiterOptions options, RateLimitsOptions limits)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.AddPolicy(HooksPerSource, http => RateLimitPartitions.For(NetworkAddresses.SourceKey(http.Connection.RemoteIpAddress), limits.HooksPerSource));
        options.AddPolicy(ApiPerSource, http => RateLimitPartitions.For(NetworkAddresses.SourceKey(http.Connection.RemoteIpAddress), limits.ApiPerSource));
        options.OnRejected = (context, _) =>
        {
            var http = context.HttpContext;
            var hooks = http.Request.Path.StartsWithSegments("/hooks", StringComparison.OrdinalIgnoreCase);
            var seconds = RateLimitPartitions.RetryAfterSeconds(context.Lease, hooks ? limits.HooksPerSource : limits.ApiPerSource);
            http.RequestServices.GetRequiredService<NetworkMetrics>().Refused(hooks ? HookRefusals.Surface : ApiRefusals.Surface, RefusalReasons.PerSource);
            return new ValueTask(hooks ? HookRefusals.SourceLimitedAsync(http, seconds) : ApiRefusals.RateLimitedAsync(http, "from this address", seconds));
        };
    }
}
