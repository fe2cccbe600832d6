using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using PbxHub.Delivery;
using PbxHub.Storage;

namespace PbxHub.Recordings;

internal static class RecordingsServiceCollectionExtensions
{
    public static IServiceCollection AddRecordings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecordingsOptions>().Bind(configuration.GetSection(RecordingsOptions.Section)).ValidateAnnotations().ValidateOnStart();
        // Redirects are followed by the downloader itself, so each hop is checked against the account's hosts.
        services.AddHttpClient(RecordingDownloader.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectCallback = sp.GetRequiredService<WebhookDestinations>().ConnectAsync,
            })
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<RecordingQueue>();
        services.AddSingleton<RecordingScout>();
        services.AddSingleton<RecordingDownloader>();
        services.AddSingleton<RecordingLinks>();
        services.AddSingleton<Mp3Transcoder>();
        services.AddSingleton<CrmRecordingLinks>();
        services.AddSingleton<RecordingMetrics>();
        services.AddSingleton<IRecordingStore>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RecordingsOptions>>().Value;
            return o.Store == "s3"
                ? new S3RecordingStore(o.S3)
                : new FileRecordingStore(o.Folder ?? Path.Combine(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory, "recordings"));
        });
        services.AddSingleton<RecordingFetcher>();
        services.AddSingleton<RecordingRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<RecordingRetention>());
        if (configuration.GetValue($"{RecordingsOptions.Section}:Enabled", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<RecordingFetcher>());
        }

        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(RecordingMetrics.MeterName));
        return services;
    }
}
