using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using PbxHub.Security;
using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>
/// The connectors the hub feeds: those declared in configuration and those created through the API (stored, their
/// settings encrypted like every other secret), each with the employees imported from its CRM beneath the mapping
/// it declares (docs/connectors.md#employees). Read from the database on each use: connectors are looked up per
/// delivery to a CRM, not per hook, and another node may add one.
/// </summary>
internal sealed class ConnectorDirectory(
    IOptions<ConnectorsOptions> options, ISqlDatabase database, SecretProtector protector, ConnectorCatalog catalog, TimeProvider time)
{
    /// <summary>The same SQL on both engines (SQLite migration 14, PostgreSQL 9).</summary>
    public const string Schema =
        """
        -- Connectors created through the API (settings encrypted) and employees imported from a CRM (docs/connectors.md).
        CREATE TABLE connectors (id TEXT PRIMARY KEY, crm TEXT NOT NULL, settings TEXT NOT NULL, created_at BIGINT NOT NULL);
        CREATE TABLE connector_employees (
            connector_id TEXT NOT NULL, employee TEXT NOT NULL, crm_user TEXT NOT NULL, imported_at BIGINT NOT NULL,
            PRIMARY KEY (connector_id, employee));
        """;

    public async Task<IReadOnlyList<ConnectorOptions>> ListAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var stored = await StoredAsync(c, null);
        var imported = (await c.QueryAsync<(string Connector, string Employee, string User)>(
            "SELECT connector_id, employee, crm_user FROM connector_employees")).ToLookup(e => e.Connector);
        return options.Value.Items.Select(o => (Connector: o, Source: ConnectorSources.Configuration))
            .Concat(stored.Where(s => options.Value.Find(s.Id) is null).Select(s => (Connector: s, Source: ConnectorSources.Api)))
            .OrderBy(x => x.Connector.Id, StringComparer.Ordinal)
            .Select(x => WithImported(x.Connector, x.Source, imported[x.Connector.Id].Select(e => (e.Employee, e.User))))
            .ToList();
    }

    public async Task<ConnectorOptions?> FindAsync(string id, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var connector = options.Value.Find(id) is { } declared ? (declared, ConnectorSources.Configuration)
            : (await StoredAsync(c, id)).FirstOrDefault() is { } stored ? (stored, ConnectorSources.Api)
            : ((ConnectorOptions, string)?)null;
        if (connector is not var (found, source))
        {
            return null;
        }

        var imported = await c.QueryAsync<(string Employee, string User)>(
            "SELECT employee, crm_user FROM connector_employees WHERE connector_id = @id", new { id });
        return WithImported(found, source, imported);
    }

    /// <summary>The problems that keep a connector from working (empty: none), as configuration's are reported at start.</summary>
    public IReadOnlyList<string> Problems(ConnectorOptions connector) => ConnectorsOptionsValidator.ProblemsOf(connector, catalog).ToList();

    /// <summary>Stores a connector created through the API; false when one of that id exists (declared or stored).</summary>
    public async Task<bool> AddAsync(ConnectorOptions connector, CancellationToken ct)
    {
        if (options.Value.Find(connector.Id) is not null)
        {
            return false;
        }

        var settings = protector.Protect(JsonSerializer.Serialize(connector));
        return await database.WriteAsync(
            (c, tx) => c.ExecuteAsync(
                "INSERT INTO connectors (id, crm, settings, created_at) VALUES (@Id, @Crm, @settings, @now) ON CONFLICT (id) DO NOTHING",
                new { connector.Id, Crm = connector.Crm.ToLowerInvariant(), settings, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx),
            ct) > 0;
    }

    /// <summary>Removes a stored connector and what it learned (its imported employees); its outbox row is the caller's.</summary>
    public Task<bool> RemoveAsync(string id, CancellationToken ct) => database.WriteAsync(
        async (c, tx) =>
        {
            await c.ExecuteAsync("DELETE FROM connector_employees WHERE connector_id = @id", new { id }, tx);
            return await c.ExecuteAsync("DELETE FROM connectors WHERE id = @id", new { id }, tx) > 0;
        },
        ct);

    /// <summary>Replaces the employees imported from the CRM (extension or number → CRM user).</summary>
    public Task SaveImportedAsync(string id, IReadOnlyDictionary<string, string> employees, CancellationToken ct) => database.WriteAsync(
        async (c, tx) =>
        {
            await c.ExecuteAsync("DELETE FROM connector_employees WHERE connector_id = @id", new { id }, tx);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (employee, user) in employees)
            {
                await c.ExecuteAsync(
                    "INSERT INTO connector_employees (connector_id, employee, crm_user, imported_at) VALUES (@id, @employee, @user, @now)",
                    new { id, employee, user, now }, tx);
            }

            return employees.Count;
        },
        ct);

    private async Task<List<ConnectorOptions>> StoredAsync(System.Data.Common.DbConnection c, string? id)
    {
        var rows = await c.QueryAsync<(string Id, string Settings)>(
            id is null ? "SELECT id, settings FROM connectors" : "SELECT id, settings FROM connectors WHERE id = @id", new { id });
        var list = new List<ConnectorOptions>();
        foreach (var (rowId, settings) in rows)
        {
            // A connector whose settings this node cannot decrypt (another key ring) is left out, as such accounts are.
            if (protector.TryReveal(settings, $"connector '{rowId}'", out var plain) && JsonSerializer.Deserialize<ConnectorOptions>(plain) is { } connector)
            {
                list.Add(connector);
            }
        }

        return list;
    }

    /// <summary>The declared mapping wins over the imported one: a user's own setting is never overwritten by the CRM's.</summary>
    private static ConnectorOptions WithImported(ConnectorOptions connector, string source, IEnumerable<(string Employee, string User)> imported)
    {
        var copy = connector.CopyWithSource(source);
        foreach (var (employee, user) in imported)
        {
            copy.ImportedEmployees[employee] = user;
        }

        return copy;
    }
}

/// <summary>Where a connector comes from: <c>configuration</c> (removed there) or <c>api</c> (removed through the API).</summary>
internal static class ConnectorSources
{
    public const string Configuration = "configuration";
    public const string Api = "api";
}
