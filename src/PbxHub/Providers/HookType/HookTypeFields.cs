using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PbxHub.Providers.HookType;

/// <summary>
/// The top-level fields of a HookType JSON body, read as text whatever their JSON type: the spec declares
/// <c>ResultCode</c> and <c>Duration</c> integers while real traffic sends strings, and numbers may come either way.
/// Names match case-insensitively; the first of a repeated name wins.
/// </summary>
internal sealed class HookTypeFields
{
    private readonly Dictionary<string, string?> byName;
    private readonly string canonical;

    private HookTypeFields(Dictionary<string, string?> byName, string canonical)
    {
        this.byName = byName;
        this.canonical = canonical;
    }

    /// <summary>The fields, or the reason the body is no JSON object.</summary>
    public static (HookTypeFields? Fields, string? Problem) Read(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        if (span.StartsWith(Encoding.UTF8.Preamble))
        {
            body = body[Encoding.UTF8.Preamble.Length..];
        }

        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, "empty request: the body holds no JSON");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, $"the body is JSON but not an object (it is {document.RootElement.ValueKind})");
            }

            var byName = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var canonical = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var text = TextOf(property.Value) is { } raw ? ProviderText.Storable(raw) : null;
                byName.TryAdd(ProviderText.Storable(property.Name), text is null || text.Trim().Length == 0 ? null : text.Trim());
                canonical.Add(property.Name + "\u0000" + property.Value.ValueKind + "\u0000" + text);
            }

            return (new HookTypeFields(byName, string.Join("\u0001", canonical)), null);
        }
        catch (JsonException ex)
        {
            return (null, $"the body is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // The parse checks the structure only; a name or string with invalid UTF-8 or half a surrogate pair fails when read.
            return (null, $"the body holds a name or string that is no valid text: {ex.Message}");
        }
    }

    /// <summary>The field's text (a number as written), or null when absent, null or blank.</summary>
    public string? Get(string name) => byName.GetValueOrDefault(name);

    /// <summary>Equal for the same fields and values, whatever their order, spacing or escaping.</summary>
    public string DedupeKey() => "hooktype:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    /// <summary>Seconds as an integer or a numeric string (<c>26</c>, <c>"26"</c>, <c>"26.0"</c>); null when it is not one.</summary>
    public static int? Seconds(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value <= int.MaxValue
            ? (int)Math.Round(value, MidpointRounding.AwayFromZero)
            : null;

    private static string? TextOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => JsonSerializer.Serialize(value),
    };
}
