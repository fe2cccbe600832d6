using Microsoft.Extensions.DependencyInjection.Extensions;
using PbxHub.Storage.Postgres;
using PbxHub.Storage.Sqlite;

namespace PbxHub.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateAnnotations()
            .Validate(o => !o.IsPostgres || !string.IsNullOrWhiteSpace(o.ConnectionString), "PbxHub:Storage:ConnectionString is required when PbxHub:Storage:Provider is 'postgres'.")
            .ValidateOnStart();
        services.AddSingleton<EventLogSignal>();
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<StorageFaults>();
        if (string.Equals(configuration[$"{StorageOptions.Section}:Provider"], "postgres", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<PostgresDatabase>();
            services.AddSingleton<ISqlDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
            services.AddSingleton<IConnectionPool>(sp => sp.GetRequiredService<PostgresDatabase>());
        }
        else
        {
            services.AddSingleton<SqliteDatabase>();
            services.AddSingleton<ISqlDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
        }

        services.AddSingleton<HubStore>();
        services.AddSingleton<ISubscriptionStore, SqlSubscriptionStore>();
        services.AddSingleton<IDeliveryStore, SqlDeliveryStore>();
        services.AddSingleton<SqlCallQueries>();
        services.TryAddSingleton<Calls.FreshReads>();
        services.AddSingleton<ICallQueries, Calls.FreshCallQueries>();
        services.AddSingleton<SqlAccountStore>();
        services.AddSingleton<IAccountStore>(sp => sp.GetRequiredService<SqlAccountStore>());
        services.AddSingleton<IApiKeyStore>(sp => sp.GetRequiredService<SqlAccountStore>());
        services.AddSingleton<ICallRequestStore, SqlCallRequestStore>();
        services.AddHostedService<MigrateOnStart>();
        return services;
    }
}

/// <summary>Applies schema migrations before the hub takes requests, unless configured off; then encrypts secrets left in clear.</summary>
internal sealed class MigrateOnStart(
    HubStore store, Microsoft.Extensions.Options.IOptions<StorageOptions> options, Security.PlainSecretsUpgrade secrets) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await store.MigrateAsync(cancellationToken);
        }

        await secrets.RunAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
