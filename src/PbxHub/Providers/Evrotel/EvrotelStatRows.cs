using System.Runtime.InteropServices;
using System.Text.Json;

namespace PbxHub.Providers.Evrotel;

/// <summary>
/// The shape of Evrotel's per-day statistics page (docs/providers/evrotel.md#call-history): a JSON object whose
/// <c>calls</c> holds one object per call (Asterisk's CDR columns plus <c>numberA</c>, <c>numberB</c>,
/// <c>direction</c>, <c>recfile</c>). Each row is kept as the exact bytes the answer gave for it.
/// </summary>
internal static class EvrotelStatRows
{
    /// <summary>The fields a row needs to be a call; a row lacking one is skipped, as the public integration does.</summary>
    public static readonly string[] Required = ["calldate", "billsec", "disposition", "direction", "numberA", "numberB"];

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Each row's own bytes, or why the answer is not the page's shape.</summary>
    public static (IReadOnlyList<byte[]>? Rows, string? Problem) Split(byte[] answer)
    {
        JsonDocument document;
        try
        {
            // A PHP page saved with a byte-order mark sends it first: the JSON starts after it.
            document = JsonDocument.Parse(answer.AsMemory(answer.AsSpan().StartsWith(Utf8Bom) ? Utf8Bom.Length : 0));
        }
        catch (JsonException ex)
        {
            return (null, $"the answer is not JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("calls", out var calls))
            {
                return (null, "the answer is not an object with a \"calls\" list");
            }

            // PHP writes a filtered list (keys no longer 0..n-1) as an object: its values are the rows all the same.
            IEnumerable<JsonElement>? items = calls.ValueKind switch
            {
                JsonValueKind.Array => calls.EnumerateArray(),
                JsonValueKind.Object => calls.EnumerateObject().Select(p => p.Value),
                _ => null,
            };
            if (items is null)
            {
                return (null, $"\"calls\" is {calls.ValueKind}, not a list of calls");
            }

            var rows = new List<byte[]>();
            foreach (var item in items)
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    return (null, $"a row of \"calls\" is {item.ValueKind}, not an object");
                }

                rows.Add(JsonMarshal.GetRawUtf8Value(item).ToArray());
            }

            return (rows, null);
        }
    }

    /// <summary>A row's fields as text (numbers as their digits), null or empty fields left out; null when it is no JSON object.</summary>
    public static Dictionary<string, string>? Fields(ReadOnlySpan<byte> row)
    {
        try
        {
            var reader = new Utf8JsonReader(row);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()?.Trim(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => null,
                };
                if (!string.IsNullOrEmpty(value))
                {
                    fields.TryAdd(property.Name, value);
                }
            }

            return fields;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
