using Microsoft.Extensions.Options;
using PbxHub.Delivery;

namespace PbxHub.Connectors;

internal static class ConnectorsServiceCollectionExtensions
{
    public static IServiceCollection AddConnectors(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ConnectorsOptions>(o => configuration.GetSection(ConnectorsOptions.Section).Bind(o.Items));
        services.AddSingleton<IValidateOptions<ConnectorsOptions>, ConnectorsOptionsValidator>();
        services.AddOptions<ConnectorsOptions>().ValidateOnStart();
        services.AddSingleton(ConnectorCatalog.Builtin);
        foreach (var crm in ConnectorCatalog.Builtin.All)
        {
            crm.Services(services);
        }

        services.AddSingleton<ConnectorStore>();
        services.AddSingleton<OAuthTokens>();
        services.AddSingleton<ConnectorClicks>();
        services.AddSingleton<CallSettle>();
        services.AddSingleton<ConnectorDirectory>();
        services.AddSingleton<ConnectorAdmin>();
        services.AddSingleton<ConnectorHealth>();
        services.AddSingleton<IOutboxTarget, ConnectorTarget>();
        services.AddSingleton<ConnectorSubscriptions>();
        services.AddHostedService(sp => sp.GetRequiredService<ConnectorSubscriptions>());
        return services;
    }

    /// <summary>What the CRMs call: <c>/connectors/{id}/events</c> and the install page. No API key: a CRM has none.</summary>
    public static WebApplication MapConnectors(this WebApplication app)
    {
        var group = app.MapGroup("/connectors/{id}").ExcludeFromDescription();
        // GET too: RetailCRM asks makeCallUrl with a GET (docs/connectors/retailcrm.md#makecallurl).
        group.MapMethods("/events", ["GET", "POST"], async (string id, HttpRequest request, ConnectorDirectory directory, ConnectorCatalog catalog, IServiceProvider services, CancellationToken ct) =>
            await FindAsync(id, directory, catalog, services, ct) is var (connector, crm) ? await crm.ReceiveAsync(connector, request, ct) : Unknown(id));
        group.MapMethods("/install", ["GET", "POST"], async (string id, HttpRequest request, ConnectorDirectory directory, ConnectorCatalog catalog, IServiceProvider services, CancellationToken ct) =>
            await FindAsync(id, directory, catalog, services, ct) is var (connector, crm) ? await crm.InstallAsync(connector, request, ct) : Unknown(id));
        return app;
    }

    internal static async Task<(ConnectorOptions, ICrmConnector)?> FindAsync(
        string id, ConnectorDirectory directory, ConnectorCatalog catalog, IServiceProvider services, CancellationToken ct) =>
        await directory.FindAsync(id, ct) is { } c && catalog.Find(c.Crm) is { } d ? (c, (ICrmConnector)services.GetRequiredService(d.Connector)) : null;

    private static IResult Unknown(string id) => TypedResults.Problem(statusCode: 404, title: "Unknown connector", detail: $"No connector '{id}'.");
}
