using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PbxHub.Providers;

internal static class ProvidersServiceCollectionExtensions
{
    /// <summary>The providers PbxHub ships (<see cref="ProviderCatalog.Builtin"/>).</summary>
    public static IServiceCollection AddProviders(this IServiceCollection services)
    {
        services.AddOutboundCore();
        foreach (var provider in ProviderCatalog.Builtin.All)
        {
            services.AddProvider(provider);
        }

        return services;
    }

    /// <summary>One provider: its adapter, its outbound client if it has one, its texts and simulator (docs/adding-a-provider.md).</summary>
    public static IServiceCollection AddProvider(this IServiceCollection services, ProviderDescriptor provider)
    {
        services.AddSingleton(provider);
        services.AddSingleton(provider.Adapter);
        if (provider.Outbound is { } outbound)
        {
            services.AddSingleton(typeof(IOutboundCalls), outbound);
        }

        if (provider.History is { } history)
        {
            services.AddSingleton(typeof(Reconciliation.IHistoryReader), history);
        }

        provider.Services?.Invoke(services);

        services.TryAddSingleton<ProviderRegistry>();
        services.TryAddSingleton<Reconciliation.HistoryRegistry>();
        services.TryAddSingleton(sp => new ProviderCatalog(sp.GetServices<ProviderDescriptor>()));
        return services;
    }
}
