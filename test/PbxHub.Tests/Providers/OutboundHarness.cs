using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PbxHub.Providers;

namespace PbxHub.Tests.Providers;

/// <summary>The outbound clients as the hub wires them (HTTP client factory, resilience, options), on a given clock.</summary>
internal sealed class OutboundHarness : IDisposable
{
    private readonly ServiceProvider services;

    public OutboundHarness(TimeProvider time, IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(time)
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        collection.AddProviders();
        services = collection.BuildServiceProvider();
    }

    public IOutboundCalls For(string provider) => services.GetRequiredService<OutboundRegistry>().Find(provider)!;

    public void Dispose() => services.Dispose();
}
