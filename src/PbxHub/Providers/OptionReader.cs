using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Providers;

/// <summary>Reads provider options from a JSON object, naming every problem by its path (<c>options.numc[0].phones</c>).</summary>
internal sealed class OptionReader(JsonObject json, string path, IDictionary<string, string[]> errors)
{
    public IDictionary<string, string[]> Errors => errors;

    public bool Has(string name) => json.TryGetPropertyValue(name, out var v) && v is not null;

    public void Error(string name, string message) => errors[Path(name)] = [message];

    public string Path(string name) => $"{path}.{name}";

    public string? String(string name)
    {
        if (!json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() == JsonValueKind.String && node.GetValue<string>().Trim() is { Length: > 0 } text)
        {
            return text;
        }

        Error(name, $"{name} must be a non-empty string");
        return null;
    }

    public bool? Bool(string name)
    {
        if (!json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return node.GetValue<bool>();
        }

        Error(name, $"{name} must be true or false");
        return null;
    }

    public int? Int(string name, int min, int max = int.MaxValue)
    {
        if (!json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<int>(out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(name, max == int.MaxValue ? $"{name} must be a whole number of at least {min}" : $"{name} must be a whole number from {min} to {max}");
        return null;
    }

    public string? OneOf(string name, params string[] allowed)
    {
        var value = String(name);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            Error(name, $"{name} '{value}' is not one of: {string.Join(", ", allowed)}");
            return null;
        }

        return value;
    }

    /// <summary>A list of objects, each read by its own reader (<c>path.name[i]</c>).</summary>
    public IReadOnlyList<OptionReader>? Objects(string name)
    {
        if (!json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonArray array || array.Count == 0 || array.Any(i => i is not JsonObject))
        {
            Error(name, $"{name} must be a non-empty list of objects");
            return null;
        }

        return array.Select((item, i) => new OptionReader((JsonObject)item!, $"{Path(name)}[{i}]", errors)).ToList();
    }

    public JsonObject? Object(string name)
    {
        if (!json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonObject obj)
        {
            return obj;
        }

        Error(name, $"{name} must be an object");
        return null;
    }

    /// <summary>Names a typo instead of silently ignoring it.</summary>
    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var (name, _) in json)
        {
            if (!known.Contains(name))
            {
                Error(name, $"unknown option '{name}'; known: {string.Join(", ", known)}");
            }
        }
    }
}
