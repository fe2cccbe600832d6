using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace PbxHub.Reconciliation;

internal static class ReconciliationServiceCollectionExtensions
{
    public static IServiceCollection AddReconciliation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<ReconciliationOptions>, ReconciliationOptionsValidator>();
        services.AddOptions<ReconciliationOptions>().Bind(configuration.GetSection(ReconciliationOptions.Section)).ValidateOnStart();
        services.AddSingleton<ReconciliationStore>();
        services.AddSingleton<ReconciliationMetrics>();
        services.AddSingleton<HistoryMatcher>();
        services.AddSingleton<Reconciler>();
        services.AddSingleton<ReconciliationSchedule>();
        services.AddHostedService(sp => sp.GetRequiredService<ReconciliationSchedule>());
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(ReconciliationMetrics.MeterName));
        return services;
    }
}
