using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace PbxHub.Logging;

internal static class LoggingServiceCollectionExtensions
{
    /// <summary>
    /// Puts every console formatter already registered (the host's defaults: simple, json, systemd) behind
    /// <see cref="MaskingConsoleFormatter"/>, so whichever <c>Logging:Console:FormatterName</c> is chosen, what
    /// reaches the console is masked. Call it after the host has added the console logger.
    /// </summary>
    public static IServiceCollection AddLogMasking(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LoggingOptions>().Bind(configuration.GetSection(LoggingOptions.Section)).ValidateOnStart();
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i] is { ServiceType: var type, ImplementationType: { } formatter } && type == typeof(ConsoleFormatter))
            {
                services[i] = ServiceDescriptor.Singleton<ConsoleFormatter>(sp => new MaskingConsoleFormatter(
                    (ConsoleFormatter)ActivatorUtilities.CreateInstance(sp, formatter), sp.GetRequiredService<IOptionsMonitor<LoggingOptions>>()));
            }
        }

        return services;
    }
}
