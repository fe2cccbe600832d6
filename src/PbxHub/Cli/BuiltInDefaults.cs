using Microsoft.Extensions.Configuration.Memory;

namespace PbxHub.Cli;

/// <summary>
/// <c>appsettings.json</c> as built into the executable, below every other source: the single-file binary
/// (docs/deployment.md §12) behaves the same without the file beside it, and a file put there still wins.
/// </summary>
internal static class BuiltInDefaults
{
    public const string ResourceName = "PbxHub.appsettings.json";

    public static void AddTo(IConfigurationManager configuration)
    {
        using var stream = typeof(BuiltInDefaults).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the resource {ResourceName} is missing from the build");
        // Read once into memory: a stream source cannot be loaded again when later sources are added.
        var values = new ConfigurationBuilder().AddJsonStream(stream).Build().AsEnumerable().Where(kv => kv.Value is not null).ToList();
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = values });
    }
}
