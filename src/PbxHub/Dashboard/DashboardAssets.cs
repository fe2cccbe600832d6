using System.Collections.Frozen;
using System.Reflection;

namespace PbxHub.Dashboard;

/// <summary>
/// The stylesheet and scripts, embedded in the assembly: <c>pbxhub serve</c> runs the built dll from
/// any folder, and embedding spares it from finding a wwwroot next to it.
/// </summary>
internal static class DashboardAssets
{
    public const string Prefix = "/dashboard/assets/";

    private static readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> Files = Load();

    public static void Map(WebApplication app) =>
        app.MapGet(Prefix + "{name}", (string name) =>
            Files.TryGetValue(name, out var file)
                ? Results.Bytes(file.Bytes, file.ContentType)
                : Results.NotFound())
            .ExcludeFromDescription();

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string resourcePrefix = "PbxHub.Dashboard.Assets.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[resourcePrefix.Length..], n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var type = n.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
                return (copy.ToArray(), type);
            });
    }
}
