using System.Text.Json;
using PbxHub.Providers;

namespace PbxHub.Tests.Fuzzing;

/// <summary>One field of a payload: its name and its value, as text or (for JSON bodies) as a raw JSON fragment.</summary>
internal sealed record Field(string Name, string Value, bool RawJson = false);

/// <summary>How a provider puts its fields on the wire (in <see cref="HookWire"/>'s order).</summary>
internal enum Wire
{
    Query = HookWire.Query,
    Form = HookWire.Form,
    Json = HookWire.Json,
}

/// <summary>A real payload to mutate: a provider's fields and the wire its sender uses.</summary>
internal sealed record Seed(string Provider, string Name, IReadOnlyList<Field> Fields, Wire Wire);

/// <summary>
/// Each provider's example hooks as its registration names them (<see cref="ProviderDescriptor.Examples"/>: its documentation's
/// examples, kept in its folder, docs/adding-a-provider.md), read into fields. Shared by the unit fuzzing and, linked, by the
/// integration fuzzing.
/// </summary>
internal static class RealPayloads
{
    /// <summary>A shipped provider's seeds.</summary>
    public static IReadOnlyList<Seed> For(string provider) =>
        For(ProviderCatalog.Builtin.Find(provider) ?? throw new ArgumentOutOfRangeException(nameof(provider), provider, "not a shipped provider"));

    /// <summary>A registered provider's seeds (a made-up one's too).</summary>
    public static IReadOnlyList<Seed> For(ProviderDescriptor provider) =>
        provider.Examples.Select(e => new Seed(provider.Name, e.Name, Fields(e), (Wire)e.Wire)).ToList();

    private static List<Field> Fields(HookExample example) => example.Wire switch
    {
        HookWire.Query or HookWire.Form => FormFields(example.Payload.Trim()),
        // HookType's document prints its AttemptIncCallEnd example without the closing brace (docs/providers/hooktype-dialect.md).
        _ => JsonFields(example.Payload.Trim() is var text && text.EndsWith('}') ? text : text + "\n}"),
    };

    private static List<Field> FormFields(string encoded) =>
        encoded.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => new Field(Unescape(kv[0]), kv.Length > 1 ? Unescape(kv[1]) : ""))
            .ToList();

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    /// <summary>A JSON object of the public API as a seed (its top-level fields mutate; nested values stay raw JSON).</summary>
    public static Seed ApiBody(string name, string json) => new("api", name, JsonFields(json), Wire.Json);

    private static List<Field> JsonFields(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject()
            .Select(p => p.Value.ValueKind == JsonValueKind.String
                ? new Field(p.Name, p.Value.GetString()!)
                : new Field(p.Name, p.Value.GetRawText(), RawJson: true))
            .ToList();
    }
}
