using Microsoft.Extensions.Options;
using PbxHub.Storage;

namespace PbxHub.Retention;

/// <summary>Runs the pruning every <see cref="RetentionOptions.Interval"/>, on one node at a time.</summary>
internal sealed partial class RetentionService(
    RetentionPruner pruner, HubStore store, IOptions<RetentionOptions> options, StorageFaults faults, TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await store.RunEveryAsync("retention", options.Value.Interval, time, faults, "retention pruning", async ct =>
        {
            var summary = await pruner.PruneAsync(ct);
            if (summary is not { CompactedCalls: 0, DeletedRawEvents: 0, DeletedDeliveries: 0 })
            {
                LogPruned(logger, summary.CompactedCalls, summary.DeletedRawEvents, summary.DeletedDeliveries);
            }
        }, ex => LogPruneFailed(logger, ex), stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: compacted the raw events of {Calls} calls, deleted {RawEvents} raw events and {Deliveries} deliveries")]
    private static partial void LogPruned(ILogger logger, int calls, int rawEvents, int deliveries);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention pruning failed; it runs again at the next interval")]
    private static partial void LogPruneFailed(ILogger logger, Exception ex);
}

internal static class RetentionServiceCollectionExtensions
{
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateAnnotations().ValidateOnStart();
        services.AddSingleton<SqlRetentionStore>();
        services.AddSingleton<RetentionPruner>();
        services.AddHostedService<RetentionService>();
        return services;
    }
}
