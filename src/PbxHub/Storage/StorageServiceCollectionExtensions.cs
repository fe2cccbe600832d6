using PbxHub.Storage.Sqlite;

namespace PbxHub.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IHubStore, SqliteHubStore>();
        services.AddSingleton<ICallQueries, SqliteCallQueries>();
        services.AddSingleton<SqliteAccountStore>();
        services.AddSingleton<IAccountStore>(sp => sp.GetRequiredService<SqliteAccountStore>());
        services.AddSingleton<IApiKeyStore>(sp => sp.GetRequiredService<SqliteAccountStore>());
        services.AddSingleton<ICallRequestStore, SqliteCallRequestStore>();
        services.AddHostedService<MigrateOnStart>();
        return services;
    }
}

/// <summary>Applies schema migrations before the hub takes requests, unless configured off.</summary>
internal sealed class MigrateOnStart(IHubStore store, Microsoft.Extensions.Options.IOptions<StorageOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStart ? store.MigrateAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
