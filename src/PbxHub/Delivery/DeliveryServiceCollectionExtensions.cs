namespace PbxHub.Delivery;

internal static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section)).ValidateAnnotations().ValidateOnStart();
        // Redirects are failures: a subscriber must give its real URL, and a redirect must not carry a signed body elsewhere.
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectCallback = sp.GetRequiredService<WebhookDestinations>().ConnectAsync,
            })
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<WebhookDestinations>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<DispatchPasses>();
        services.AddSingleton<DeliveryRecovery>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    public static RouteGroupBuilder MapDelivery(this RouteGroupBuilder api) => api.MapSubscriptions().MapStream();
}
