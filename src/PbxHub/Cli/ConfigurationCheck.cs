using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PbxHub.Cli;

/// <summary>The options classes that have a validator, found when the services are registered.</summary>
internal sealed record ValidatedOptions(IReadOnlyList<Type> Types)
{
    public static ValidatedOptions Of(IServiceCollection services) => new(services
        .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IValidateOptions<>))
        .Select(d => d.ServiceType.GetGenericArguments()[0])
        .Distinct()
        .ToList());
}

/// <summary>
/// Every problem of the configuration at once, before anything starts, one line each: the host's own start-up
/// validation stops at the first options class that fails (and a service built with bad options fails before
/// it), with a stack trace the user has no use for (docs/first-run.md).
/// </summary>
internal static partial class ConfigurationCheck
{
    /// <summary>The exit code of a verb that found configuration problems.</summary>
    public const int ExitCode = 2;

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '(?<member>[^']*)' with the error: '(?<error>.*)'\.$")]
    private static partial Regex DataAnnotationFailure();

    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        var problems = new List<string>();
        foreach (var type in services.GetRequiredService<ValidatedOptions>().Types)
        {
            var factory = services.GetRequiredService(typeof(IOptionsFactory<>).MakeGenericType(type));
            try
            {
                factory.GetType().GetMethod(nameof(IOptionsFactory<object>.Create))!.Invoke(factory, [Options.DefaultName]);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is OptionsValidationException invalid)
            {
                problems.AddRange(invalid.Failures.Select(f => Describe(type, f)));
            }
            catch (TargetInvocationException ex) when (ex.InnerException is InvalidOperationException binding)
            {
                // The binder's own words: "Failed to convert configuration value at 'PbxHub:…' to type '…'".
                problems.Add(binding.Message);
            }
        }

        return problems;
    }

    /// <summary>Throws <see cref="ConfigurationProblemsException"/> when the configuration has problems.</summary>
    public static void ThrowIfAny(IServiceProvider services)
    {
        if (Problems(services) is { Count: > 0 } problems)
        {
            throw new ConfigurationProblemsException(problems);
        }
    }

    /// <summary>Data annotations name the property only: the line names the configuration key.</summary>
    private static string Describe(Type options, string failure)
    {
        var match = DataAnnotationFailure().Match(failure);
        if (!match.Success)
        {
            return failure;
        }

        var section = options.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string;
        var key = section is null ? match.Groups["member"].Value : $"{section}:{match.Groups["member"].Value}";
        return $"{key}: {match.Groups["error"].Value}";
    }
}

internal sealed class ConfigurationProblemsException(IReadOnlyList<string> problems)
    : Exception("Configuration problems: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
