using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PbxHub;

/// <summary>How every feature's options are checked at start (their attributes; docs/configuration.md lists them).</summary>
internal static class OptionsValidation
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<Type> Prepared = [];

    /// <summary>
    /// <see cref="OptionsBuilderDataAnnotationsExtensions.ValidateDataAnnotations{TOptions}"/>, each options type's
    /// attributes first used once, one thread at a time. The attributes are shared by every host in the process, and a
    /// <see cref="RangeAttribute"/> with string bounds converts them on its first use without a lock: two hosts starting
    /// at once (the integration tests run many) could fail to start with an InvalidCastException.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateAnnotations<TOptions>(this OptionsBuilder<TOptions> builder)
        where TOptions : class, new()
    {
        lock (Gate)
        {
            if (Prepared.Add(typeof(TOptions)))
            {
                var sample = new TOptions();
                Validator.TryValidateObject(sample, new ValidationContext(sample), [], validateAllProperties: true);
            }
        }

        return builder.ValidateDataAnnotations();
    }
}
