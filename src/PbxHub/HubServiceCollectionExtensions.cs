using PbxHub.Accounts;
using PbxHub.Api;
using PbxHub.Calls;
using PbxHub.Connectors;
using PbxHub.Dashboard;
using PbxHub.Delivery;
using PbxHub.Ingest;
using PbxHub.Logging;
using PbxHub.Providers;
using PbxHub.Reconciliation;
using PbxHub.Recordings;
using PbxHub.Retention;
using PbxHub.Security;
using PbxHub.Storage;
using PbxHub.Telemetry;

namespace PbxHub;

internal static class HubServiceCollectionExtensions
{
    /// <summary>Every feature of the hub, each registering itself.</summary>
    public static IServiceCollection AddPbxHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        return services
            .AddLogMasking(configuration)
            .AddTracing(configuration)
            .AddStorage(configuration)
            .AddSecurity(configuration)
            .AddProviders()
            .AddAccounts(configuration)
            .AddNetwork(configuration)
            .AddIngest(configuration)
            .AddCalls(configuration)
            .AddDelivery(configuration)
            .AddConnectors(configuration)
            .AddRetention(configuration)
            .AddRecordings(configuration)
            .AddReconciliation(configuration)
            .AddApi(configuration)
            .AddDashboard(configuration);
    }

    public static WebApplication MapPbxHub(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseNetwork();
        app.MapIngest();
        app.MapConnectors();
        app.MapApi();
        app.MapRecordingLinks();
        app.MapOutboundMedia();
        app.MapDashboard();
        return app;
    }
}
