using PbxHub.Delivery;
using OpenTelemetry.Metrics;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Recordings;
using PbxHub.Security;
using PbxHub.Storage;
using Scalar.AspNetCore;

namespace PbxHub.Api;

internal static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApiKeysOptions>(o => o.Keys.AddRange(configuration.GetSection(ApiKeysOptions.Section).Get<string[]>() ?? []));
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddSingleton<OutboundAnswers>();
        services.AddProblemDetails();
        services.AddExceptionHandler<StorageFaultHandler>();
        services.AddOpenApi(o => o
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "PbxHub";
                return Task.CompletedTask;
            })
            .AddDocumentTransformer<WebhooksDocument>().AddSchemaTransformer<WireTypes>());
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Ingest.IngestMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        services.ConfigureHttpJsonOptions(o => CallJson.Apply(o.SerializerOptions));
        return services;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.MapOpenApi();
        // The reference page's scripts come from the Scalar.AspNetCore package itself; no fonts from a CDN, so it works offline (docs/api.md).
        app.MapScalarApiReference("/api/reference", o => o.WithTitle("PbxHub API")
            .DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp());
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/healthz", () => TypedResults.Ok(new ReadyStatus("ok"))).WithTags("Health");
        app.MapGet("/readyz", Readiness.CheckAsync).WithTags("Health");
        var api = app.MapGroup("/api/v1").AddEndpointFilter<ApiKeyFilter>().WithApiRateLimits()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapAccounts();
        api.MapCalls();
        api.MapQuarantine();
        api.MapDelivery();
        api.MapPlaceCalls();
        api.MapRecordings();
        Connectors.ConnectorsEndpoints.MapConnectorsApi(api);
        Reconciliation.ReconciliationEndpoints.MapReconciliation(api);
        return app;
    }
}
