using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PbxHub.Ingest;

namespace PbxHub.Providers.Evrotel;

/// <summary>
/// The fields of one Evrotel call event. The document says JSON, its own sender posts
/// <c>http_build_query</c> form data: the body's first character decides, not the Content-Type,
/// and either way the same fields give the same canonical text (so the same call id and dedupe key).
/// </summary>
internal sealed class EvrotelFields
{
    /// <summary>Field names are matched without regard to case (the document writes both <c>recfile</c> and <c>Recfile</c>).</summary>
    private readonly SortedDictionary<string, string> values;

    private EvrotelFields(SortedDictionary<string, string> values) => this.values = values;

    public int Count => values.Count;

    public string? Get(string name) => values.GetValueOrDefault(name.ToLowerInvariant());

    /// <summary>The call's time: <c>calldate</c> in the document, <c>date</c> in real traffic.</summary>
    public string? Date => Get("calldate") ?? Get("date");

    /// <summary>The fields, or the reason they cannot be read.</summary>
    public static (EvrotelFields? Fields, string? Problem) Read(RawRequest request)
    {
        var text = Encoding.UTF8.GetString(request.Body).TrimStart('\uFEFF').Trim();
        if (text.Length == 0)
        {
            return (null, "empty body: no Evrotel call event fields");
        }

        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (text[0] is '{' or '[')
        {
            if (ReadJson(text, values) is { } problem)
            {
                return (null, problem);
            }
        }
        else
        {
            foreach (var (key, value) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(text))
            {
                Add(values, key, value.Count > 0 ? value[0] : null);
            }
        }

        return (new EvrotelFields(values), null);
    }

    private static string? ReadJson(string text, SortedDictionary<string, string> values)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "the JSON body is not an object of Evrotel fields";
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                // billsec was an int before 2018-05-25 and a string since: a number counts as its digits.
                Add(values, property.Name, property.Value.ValueKind switch
                {
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    JsonValueKind.String => property.Value.GetString(),
                    _ => property.Value.GetRawText(),
                });
            }

            return null;
        }
        catch (JsonException ex)
        {
            return $"the body looks like JSON but is not valid JSON: {ex.Message}";
        }
        catch (InvalidOperationException ex)
        {
            // The parse checks the structure only; a string escaping half a surrogate pair (\udfff) fails when read.
            return $"the JSON body holds a string that is no valid text: {ex.Message}";
        }
    }

    /// <summary>A null or empty value is no value: http_build_query leaves null fields out, JSON writes them as null.</summary>
    private static void Add(SortedDictionary<string, string> values, string key, string? value)
    {
        var trimmed = value?.Trim();
        if (!string.IsNullOrEmpty(trimmed))
        {
            values.TryAdd(ProviderText.Storable(key.Trim().ToLowerInvariant()), ProviderText.Storable(trimmed));
        }
    }

    /// <summary>
    /// The fields as one text, whatever the body's encoding, field order or date key: the input of the
    /// call id a start is given and of every dedupe key.
    /// </summary>
    public string Canonical()
    {
        var canonical = new SortedDictionary<string, string>(values, StringComparer.Ordinal);
        if (canonical.Remove("calldate", out var callDate))
        {
            canonical["date"] = callDate;
        }

        return string.Join("&", canonical.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value)));
    }

    public string Digest(string context) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(context + "\n" + Canonical())));
}
