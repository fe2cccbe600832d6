using System.Globalization;
using System.Text.Json.Nodes;

namespace PbxHub.Connectors.RetailCrm;

/// <summary>
/// The system's active users with a phone (<c>GET /api/v5/users</c>, <c>filter[active]=1</c>, 100 a page): each
/// user's <c>phone</c> is mapped to its <c>id</c> (docs/connectors/retailcrm.md#employees). The users' additional codes
/// are not among the fields the API lists, so extensions stay in <c>Employees</c>.
/// </summary>
internal sealed class RetailCrmEmployees(RetailCrmClient client)
{
    private const int PageSize = 100;

    /// <summary>Bounds the reading of a system that would answer pages for ever.</summary>
    private const int MaxPages = 100;

    public async Task<EmployeeImport> ImportAsync(ConnectorOptions c, CancellationToken ct)
    {
        var employees = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var page = 1; page <= MaxPages; page++)
        {
            var answer = await client.GetAsync(c, $"users?filter[active]=1&limit={PageSize}&page={page}", ct);
            if (!answer.Ok)
            {
                return EmployeeImport.Failed("GET /api/v5/users: " + answer.Text);
            }

            foreach (var user in (answer.Json!["users"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (user["phone"]?.ToString() is { Length: > 0 } phone && user["id"] is JsonValue id && id.TryGetValue<long>(out var n))
                {
                    employees[phone.Trim()] = n.ToString(CultureInfo.InvariantCulture);
                }
            }

            if (answer.Json["pagination"]?["totalPageCount"] is not JsonValue total || !total.TryGetValue<int>(out var pages) || page >= pages)
            {
                break;
            }
        }

        return employees.Count == 0
            ? EmployeeImport.Failed("RetailCRM's active users have no phone: map the extensions in Employees (the API does not list the users' additional codes)")
            : new EmployeeImport(employees, null);
    }
}
