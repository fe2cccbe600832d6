using PbxHub.Providers.Evrotel;
using PbxHub.Providers.HookType;
using PbxHub.Providers.Sipuni;
using PbxHub.Providers.Uis;

namespace PbxHub.Providers;

internal static class ProvidersServiceCollectionExtensions
{
    public static IServiceCollection AddProviders(this IServiceCollection services)
    {
        // One line per provider.
        services.AddSingleton<IProviderAdapter, SipuniAdapter>();
        services.AddSingleton<IProviderAdapter, HookTypeAdapter>();
        services.AddSingleton<IProviderAdapter, EvrotelAdapter>();
        services.AddSingleton<IProviderAdapter, UisAdapter>();
        services.AddSingleton<ProviderRegistry>();

        // Outbound APIs, one line per provider that has one.
        services.AddOutboundCore();
        services.AddSingleton<IOutboundCalls, UisOutboundCalls>();
        services.AddSingleton<IOutboundCalls, EvrotelClient>();
        return services;
    }
}
