using Dapper;
using PbxHub.Security;
using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>
/// What a connector keeps between deliveries: its credentials (a CRM's tokens, encrypted like every other secret)
/// and, per call, what the CRM was already told (its own call id, who was shown the call), so a retried or
/// replayed step does not repeat what succeeded.
/// </summary>
internal sealed class ConnectorStore(ISqlDatabase database, SecretProtector protector, TimeProvider time)
{
    /// <summary>The same SQL on both engines (SQLite migration 12, PostgreSQL 8).</summary>
    public const string Schema =
        """
        -- CRM connectors (docs/connectors.md): the credentials a CRM gave (encrypted), and per call what it was told.
        CREATE TABLE connector_secrets (connector_id TEXT PRIMARY KEY, secrets TEXT NOT NULL, updated_at BIGINT NOT NULL);
        CREATE TABLE connector_calls (
            connector_id TEXT NOT NULL, call_id TEXT NOT NULL, state TEXT NOT NULL, updated_at BIGINT NOT NULL,
            PRIMARY KEY (connector_id, call_id));
        """;

    /// <summary>The connector's secrets as JSON, or null when none are kept (not installed yet, or unreadable).</summary>
    public async Task<string?> SecretsAsync(string connectorId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var stored = await c.QuerySingleOrDefaultAsync<string>(
            "SELECT secrets FROM connector_secrets WHERE connector_id = @connectorId", new { connectorId });
        return stored is not null && protector.TryReveal(stored, $"connector '{connectorId}'", out var plain) ? plain : null;
    }

    /// <summary>
    /// Held while a connector's secrets are read, changed and saved (a token refresh): with several nodes, a refresh
    /// token used by one is refused to the other, which must find the new pair instead of asking again.
    /// </summary>
    public Task<IAsyncDisposable> LockSecretsAsync(string connectorId, CancellationToken ct) => database.LockAsync("connector-secrets:" + connectorId, ct);

    public Task SaveSecretsAsync(string connectorId, string json, CancellationToken ct) => database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            """
            INSERT INTO connector_secrets (connector_id, secrets, updated_at) VALUES (@connectorId, @secrets, @now)
            ON CONFLICT (connector_id) DO UPDATE SET secrets = excluded.secrets, updated_at = excluded.updated_at
            """,
            new { connectorId, secrets = protector.Protect(json), now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx),
        ct);

    public async Task<string?> CallStateAsync(string connectorId, string callId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<string>(
            "SELECT state FROM connector_calls WHERE connector_id = @connectorId AND call_id = @callId", new { connectorId, callId });
    }

    public Task SaveCallStateAsync(string connectorId, string callId, string state, CancellationToken ct) => database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            """
            INSERT INTO connector_calls (connector_id, call_id, state, updated_at) VALUES (@connectorId, @callId, @state, @now)
            ON CONFLICT (connector_id, call_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
            """,
            new { connectorId, callId, state, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx),
        ct);

    /// <summary>Forgets a connector's secrets and calls (it was removed, or the CRM uninstalled it).</summary>
    public Task ForgetAsync(string connectorId, CancellationToken ct) => database.WriteAsync(
        async (c, tx) =>
        {
            await c.ExecuteAsync("DELETE FROM connector_calls WHERE connector_id = @connectorId", new { connectorId }, tx);
            return await c.ExecuteAsync("DELETE FROM connector_secrets WHERE connector_id = @connectorId", new { connectorId }, tx);
        },
        ct);
}
