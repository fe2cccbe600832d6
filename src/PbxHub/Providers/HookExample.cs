using System.Reflection;

namespace PbxHub.Providers;

/// <summary>How an example hook carries its fields.</summary>
internal enum HookWire
{
    /// <summary>A GET query string.</summary>
    Query,

    /// <summary>An <c>application/x-www-form-urlencoded</c> body.</summary>
    Form,

    /// <summary>A JSON object body.</summary>
    Json,
}

/// <summary>
/// One of a provider's example hooks, byte for byte as the provider's documentation prints it (docs/providers/): the
/// seeds the fuzz tests make hostile, and the fixtures of the provider's tests (docs/adding-a-provider.md).
/// </summary>
internal sealed record HookExample(string Name, HookWire Wire, string Payload);

/// <summary>The example hooks kept in a provider's folder (<c>Providers/{Name}/Examples/</c>), built into the assembly.</summary>
internal static class HookExamples
{
    private const string Prefix = "PbxHub.Examples.";

    /// <summary>
    /// The files of <c>Providers/{folder}/Examples/</c>: each <c>.json</c> a JSON body, each <c>.form</c> a form body, and
    /// each line of a <c>.urls</c> file a URL the provider requests, its query the payload.
    /// </summary>
    public static IReadOnlyList<HookExample> Embedded(string folder)
    {
        var assembly = typeof(HookExamples).Assembly;
        var own = $"{Prefix}{folder}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.Replace('\\', '/').StartsWith(own, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(n => Read(assembly, n, n.Replace('\\', '/')[own.Length..]))
            .ToList();
    }

    private static IEnumerable<HookExample> Read(Assembly assembly, string resource, string name)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return Path.GetExtension(name) switch
        {
            ".json" => [new HookExample(name, HookWire.Json, text)],
            ".form" => [new HookExample(name, HookWire.Form, text)],
            ".urls" => text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)
                .Select((line, i) => new HookExample($"{name}[{i}]", HookWire.Query, line[(line.IndexOf('?', StringComparison.Ordinal) + 1)..])),
            _ => throw new InvalidOperationException($"example {name}: name it .json, .form or .urls"),
        };
    }
}
