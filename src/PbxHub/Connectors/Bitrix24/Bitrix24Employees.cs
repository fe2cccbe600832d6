using System.Globalization;
using System.Text.Json.Nodes;

namespace PbxHub.Connectors.Bitrix24;

/// <summary>
/// The portal's active users with an inner number (<c>user.get</c>, filtered on <c>ACTIVE</c>, 50 per page as the method
/// always answers, <c>start</c> the offset): each <c>UF_PHONE_INNER</c> is the extension of the user <c>ID</c>
/// (docs/connectors.md#employees).
/// </summary>
internal sealed class Bitrix24Employees(Bitrix24Client client)
{
    private const int PageSize = 50;

    /// <summary>Bounds the reading of a portal that would answer full pages for ever.</summary>
    private const int MaxPages = 200;

    public async Task<EmployeeImport> ImportAsync(ConnectorOptions c, CancellationToken ct)
    {
        var employees = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var page = 0; page < MaxPages; page++)
        {
            var parameters = new JsonObject
            {
                ["FILTER"] = new JsonObject { ["ACTIVE"] = true }, ["select"] = new JsonArray("ID", "UF_PHONE_INNER"),
                ["start"] = page * PageSize,
            };
            var answer = await client.CallAsync(c, "user.get", parameters, ct);
            if (!answer.Ok)
            {
                return EmployeeImport.Failed("user.get: " + answer.Text, answer.Error == Bitrix24Client.NotInstalled);
            }

            var users = answer.Result as JsonArray ?? [];
            foreach (var user in users.OfType<JsonObject>())
            {
                if (Text(user["UF_PHONE_INNER"]) is { Length: > 0 } inner && Text(user["ID"]) is { Length: > 0 } id)
                {
                    employees[inner.Trim()] = id;
                }
            }

            if (users.Count < PageSize)
            {
                return new EmployeeImport(employees, null);
            }
        }

        return new EmployeeImport(employees, null);
    }

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
