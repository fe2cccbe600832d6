using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PbxHub.Telemetry;

internal static class TracingServiceCollectionExtensions
{
    /// <summary>Spans of the hub, of ASP.NET Core's requests and of outgoing HTTP (webhooks, providers), exported over OTLP when configured.</summary>
    public static IServiceCollection AddTracing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FoldTraces>();
        services.AddOptions<TracingOptions>().Bind(configuration.GetSection(TracingOptions.Section)).ValidateAnnotations().ValidateOnStart();
        var options = configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions();
        if (!options.Enabled || !Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint))
        {
            return services;
        }

        var grpc = options.OtlpProtocol == "grpc";
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.SampleRatio)))
                .AddSource(HubTracing.SourceName, "Microsoft.AspNetCore", "System.Net.Http")
                .AddOtlpExporter(otlp =>
                {
                    otlp.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    // With HTTP the exporter posts to the URL as given: the traces path is added when it is missing.
                    otlp.Endpoint = grpc || endpoint.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal)
                        ? endpoint
                        : new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/v1/traces");
                }));
        return services;
    }
}
