using System.Text.Json;

namespace PbxHub.Tests.Fuzzing;

/// <summary>One field of a payload: its name and its value, as text or (for JSON bodies) as a raw JSON fragment.</summary>
internal sealed record Field(string Name, string Value, bool RawJson = false);

/// <summary>How a provider puts its fields on the wire.</summary>
internal enum Wire
{
    Query,
    Form,
    Json,
}

/// <summary>A real payload to mutate: a provider's fields and the wire its sender uses.</summary>
internal sealed record Seed(string Provider, string Name, IReadOnlyList<Field> Fields, Wire Wire);

/// <summary>
/// The fixtures the provider tests already use (test/Fixtures: the documents' own examples and the real shapes of docs/providers/),
/// read into fields. Shared by the unit fuzzing and, linked, by the integration fuzzing.
/// </summary>
internal static class RealPayloads
{
    private static string Fixture(params string[] path) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. path]);

    /// <summary>Sipuni's transfer example (docs/call-record.md): every line a GET query string.</summary>
    public static IReadOnlyList<Seed> Sipuni() =>
        File.ReadAllLines(Fixture("sipuni-transfer-example.txt"))
            .Where(l => l.Length > 0)
            .Select((line, i) => new Seed("sipuni", $"transfer-example[{i}]", FormFields(line[(line.IndexOf('?', StringComparison.Ordinal) + 1)..]), Wire.Query))
            .ToList();

    /// <summary>The HookType document's examples (docs/providers/hooktype-dialect.md), one per hook type (the AttemptIncCallEnd example printed without its closing brace, completed).</summary>
    public static IReadOnlyList<Seed> HookType() =>
        Directory.GetFiles(Fixture("hooktype"), "*.json").Order(StringComparer.Ordinal)
            .Select(file =>
            {
                var text = File.ReadAllText(file).Trim();
                return new Seed("hooktype", Path.GetFileName(file), JsonFields(text.EndsWith('}') ? text : text + "\n}"), Wire.Json);
            })
            .ToList();

    /// <summary>Evrotel's document's start and end (docs/providers/evrotel.md), as JSON (the document) and as form data (its PHP sender).</summary>
    public static IReadOnlyList<Seed> Evrotel() =>
        Directory.GetFiles(Fixture("evrotel")).Order(StringComparer.Ordinal)
            .Select(file =>
            {
                var text = File.ReadAllText(file).Trim();
                return file.EndsWith(".json", StringComparison.Ordinal)
                    ? new Seed("evrotel", Path.GetFileName(file), JsonFields(text), Wire.Json)
                    : new Seed("evrotel", Path.GetFileName(file), FormFields(text), Wire.Form);
            })
            .ToList();

    public static IReadOnlyList<Seed> For(string provider) => provider switch
    {
        "sipuni" => Sipuni(),
        "hooktype" => HookType(),
        "evrotel" => Evrotel(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "no hook payloads"),
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
