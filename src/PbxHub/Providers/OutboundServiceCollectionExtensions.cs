using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace PbxHub.Providers;

internal static class OutboundServiceCollectionExtensions
{
    /// <summary>What every provider's outbound client shares: options, the HTTP client, the registry.</summary>
    public static IServiceCollection AddOutboundCore(this IServiceCollection services)
    {
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section)
            .ValidateAnnotations()
            .Validate(o => o.PublicBaseUrl is null || OutboundOptions.IsAbsoluteHttpUrl(o.PublicBaseUrl),
                "PbxHub:Outbound:PublicBaseUrl must be an absolute http(s) URL, e.g. https://hub.example.com")
            .ValidateOnStart();
        services.AddHttpClient(OutboundHttp.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("outbound", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<OutboundOptions>>().Value;
                if (options.IdempotentRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.IdempotentRetries,
                        Delay = TimeSpan.FromMilliseconds(200),
                        // Only what cannot place a call: a repeated place_calls could ring the client twice.
                        ShouldHandle = args => ValueTask.FromResult(
                            args.Context.GetRequestMessage()?.Options.TryGetValue(OutboundHttp.Idempotent, out var idempotent) == true
                            && idempotent && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                    });
                }

                pipeline.AddTimeout(options.RequestTimeout);
            });
        services.AddSingleton<OutboundHttp>();
        services.AddSingleton<OutboundRegistry>();
        return services;
    }
}
