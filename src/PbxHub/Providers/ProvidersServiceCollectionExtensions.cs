using PbxHub.Providers.Evrotel;
using PbxHub.Providers.HookType;
using PbxHub.Providers.Sipuni;

namespace PbxHub.Providers;

internal static class ProvidersServiceCollectionExtensions
{
    public static IServiceCollection AddProviders(this IServiceCollection services)
    {
        // One line per provider.
        services.AddSingleton<IProviderAdapter, SipuniAdapter>();
        services.AddSingleton<IProviderAdapter, HookTypeAdapter>();
        services.AddSingleton<IProviderAdapter, EvrotelAdapter>();
        services.AddSingleton<ProviderRegistry>();
        return services;
    }
}
