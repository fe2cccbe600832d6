using System.Text.Json;
using Microsoft.OpenApi;

namespace PbxHub.IntegrationTests.Api;

/// <summary>
/// Checks a real JSON answer against a schema of the OpenAPI document, following <c>$ref</c>s: each property the
/// schema names is in the answer with the JSON type the schema gives, each required one too, and the answer has no
/// property the schema does not name. A generator-free stand-in for a generated client (docs/api.md).
/// </summary>
internal static class DocumentSchema
{
    public static List<string> Problems(IOpenApiSchema schema, JsonElement value)
    {
        var problems = new List<string>();
        Check(schema, value, "$", problems);
        return problems;
    }

    private static void Check(IOpenApiSchema schema, JsonElement value, string path, List<string> problems)
    {
        var alternatives = (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).ToList();
        if (alternatives.Count > 0)
        {
            if (!alternatives.Any(a => Problems(a, value).Count == 0))
            {
                problems.Add($"{path}: {value.ValueKind} matches none of the schema's {alternatives.Count} alternatives");
            }

            return;
        }

        foreach (var part in schema.AllOf ?? [])
        {
            Check(part, value, path, problems);
        }

        if (schema.Type is not { } type)
        {
            return;
        }

        if (!Fits(type, value))
        {
            problems.Add($"{path}: the answer has {value.ValueKind}, the document says {type}");
            return;
        }

        if (value.ValueKind == JsonValueKind.Object && schema.Properties is { Count: > 0 } properties)
        {
            foreach (var name in (schema.Required ?? new HashSet<string>()).Union(properties.Keys))
            {
                if (!value.TryGetProperty(name, out var property))
                {
                    problems.Add($"{path}.{name}: in the document, missing from the answer");
                }
                else if (properties.TryGetValue(name, out var propertySchema))
                {
                    Check(propertySchema, property, $"{path}.{name}", problems);
                }
            }

            problems.AddRange(value.EnumerateObject().Where(p => !properties.ContainsKey(p.Name))
                .Select(p => $"{path}.{p.Name}: in the answer, missing from the document"));
        }
        else if (value.ValueKind == JsonValueKind.Object && schema.AdditionalProperties is { } valueSchema)
        {
            foreach (var p in value.EnumerateObject())
            {
                Check(valueSchema, p.Value, $"{path}.{p.Name}", problems);
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.Items is { } items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, $"{path}[{i++}]", problems);
            }
        }
    }

    private static bool Fits(JsonSchemaType type, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => type.HasFlag(JsonSchemaType.Null),
        JsonValueKind.String => type.HasFlag(JsonSchemaType.String),
        JsonValueKind.True or JsonValueKind.False => type.HasFlag(JsonSchemaType.Boolean),
        JsonValueKind.Number => type.HasFlag(JsonSchemaType.Number) || (type.HasFlag(JsonSchemaType.Integer) && value.TryGetInt64(out _)),
        JsonValueKind.Array => type.HasFlag(JsonSchemaType.Array),
        JsonValueKind.Object => type.HasFlag(JsonSchemaType.Object),
        _ => false,
    };
}
