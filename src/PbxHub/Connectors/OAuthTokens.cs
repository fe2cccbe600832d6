using System.Collections.Concurrent;
using System.Text.Json;

namespace PbxHub.Connectors;

/// <summary>What one OAuth CRM does its own way; <see cref="OAuthTokens"/> does the rest.</summary>
internal interface IOAuthCrm<TSecrets, TAnswer>
    where TSecrets : class
    where TAnswer : class
{
    /// <summary>The access token <paramref name="secrets"/> hold, and when it expires.</summary>
    (string Access, DateTimeOffset ExpiresAt) Token(TSecrets secrets);

    /// <summary>How long before its expiry the token is refreshed (the connector's <c>RefreshBefore</c>).</summary>
    TimeSpan RefreshBefore(ConnectorOptions c);

    /// <summary>The answer when the connector keeps no token: not installed yet, or (<paramref name="uninstalled"/>) gone since.</summary>
    TAnswer NotInstalled(ConnectorOptions c, bool uninstalled);

    /// <summary>The CRM refused the access token as expired.</summary>
    bool Expired(TAnswer answer);

    /// <summary>What an answer still <see cref="Expired"/> after the refresh and the retry is reported as.</summary>
    TAnswer StillExpired(TAnswer answer);

    /// <summary>The CRM's token request with <paramref name="current"/>'s refresh token: the new secrets, or the refusal, worded and logged.</summary>
    Task<(TSecrets? Fresh, TAnswer? Problem)> RefreshAsync(ConnectorOptions c, TSecrets current, CancellationToken ct);
}

/// <summary>
/// An OAuth connector's token pair (docs/connectors.md#bitrix24, docs/connectors/amocrm.md#authorisation): kept encrypted in
/// <see cref="ConnectorStore"/>, refreshed <c>RefreshBefore</c> ahead of its expiry, and once more when the CRM says it
/// expired, the request then sent once more. Concurrent deliveries share one refresh, on one node or several (the
/// secrets' lock in the database): a refresh token may be used once.
/// </summary>
internal sealed class OAuthTokens(ConnectorStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> refreshing = new(StringComparer.Ordinal);

    public async Task<TSecrets?> ReadAsync<TSecrets>(string connectorId, CancellationToken ct)
        where TSecrets : class =>
        await store.SecretsAsync(connectorId, ct) is { } json ? JsonSerializer.Deserialize<TSecrets>(json) : null;

    public Task SaveAsync<TSecrets>(string connectorId, TSecrets secrets, CancellationToken ct) =>
        store.SaveSecretsAsync(connectorId, JsonSerializer.Serialize(secrets), ct);

    /// <summary>
    /// Changes what the secrets keep beside the tokens, read and saved while no refresh runs: saved from a copy read
    /// before a refresh, they would put back the used refresh token, and the connector would lose its access.
    /// </summary>
    public async Task UpdateAsync<TSecrets>(string connectorId, Func<TSecrets, TSecrets> change, CancellationToken ct)
        where TSecrets : class
    {
        var gate = Gate(connectorId);
        await gate.WaitAsync(ct);
        try
        {
            await using var nodes = await store.LockSecretsAsync(connectorId, ct);
            if (await ReadAsync<TSecrets>(connectorId, ct) is { } current)
            {
                await SaveAsync(connectorId, change(current), ct);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary><paramref name="send"/> with a token not about to expire; after an expired answer, one refresh and one more try.</summary>
    public async Task<TAnswer> SendAsync<TSecrets, TAnswer>(
        IOAuthCrm<TSecrets, TAnswer> crm, ConnectorOptions c, Func<TSecrets, Task<TAnswer>> send, CancellationToken ct)
        where TSecrets : class
        where TAnswer : class
    {
        if (await ReadAsync<TSecrets>(c.Id, ct) is not { } secrets)
        {
            return crm.NotInstalled(c, uninstalled: false);
        }

        if (crm.Token(secrets).ExpiresAt - time.GetUtcNow() <= crm.RefreshBefore(c))
        {
            var (fresh, problem) = await RefreshAsync(crm, c, crm.Token(secrets).Access, ct);
            if (fresh is null)
            {
                return problem!;
            }

            secrets = fresh;
        }

        var answer = await send(secrets);
        if (crm.Expired(answer))
        {
            // Revoked, or expired sooner than it said (the clocks differ): one refresh, then the same request once more.
            var (fresh, problem) = await RefreshAsync(crm, c, crm.Token(secrets).Access, ct);
            answer = fresh is null ? problem! : await send(fresh);
            if (crm.Expired(answer))
            {
                answer = crm.StillExpired(answer);
            }
        }

        return answer;
    }

    /// <summary>A new token pair from the CRM, unless another delivery already got one for <paramref name="stale"/>.</summary>
    private async Task<(TSecrets? Fresh, TAnswer? Problem)> RefreshAsync<TSecrets, TAnswer>(
        IOAuthCrm<TSecrets, TAnswer> crm, ConnectorOptions c, string stale, CancellationToken ct)
        where TSecrets : class
        where TAnswer : class
    {
        var gate = Gate(c.Id);
        await gate.WaitAsync(ct);
        try
        {
            // This node's deliveries wait at the gate; another node's refresh, at the database's lock.
            await using var nodes = await store.LockSecretsAsync(c.Id, ct);
            if (await ReadAsync<TSecrets>(c.Id, ct) is not { } current)
            {
                return (null, crm.NotInstalled(c, uninstalled: true));
            }

            if (crm.Token(current).Access != stale)
            {
                return (current, null);
            }

            var (fresh, problem) = await crm.RefreshAsync(c, current, ct);
            if (fresh is not null)
            {
                await SaveAsync(c.Id, fresh, ct);
            }

            return (fresh, problem);
        }
        finally
        {
            gate.Release();
        }
    }

    private SemaphoreSlim Gate(string connectorId) => refreshing.GetOrAdd(connectorId, _ => new SemaphoreSlim(1, 1));
}
