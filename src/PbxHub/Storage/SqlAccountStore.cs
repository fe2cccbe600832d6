using System.Text.Json;
using Dapper;
using PbxHub.Accounts;
using PbxHub.Security;

namespace PbxHub.Storage;

/// <summary>Accounts and API keys in the database: an account's secret and settings (credentials among them) encrypted, keys hashed.</summary>
internal sealed class SqlAccountStore(ISqlDatabase database, TimeProvider time, SecretProtector protector) : IAccountStore, IApiKeyStore
{
    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Id, string Provider, string Secret, string TimeZone, string Country, string Settings)>(
            "SELECT id, provider, secret, time_zone, country, settings FROM accounts ORDER BY id");
        return rows.Select(ToAccount).ToList();
    }

    private Account ToAccount((string Id, string Provider, string Secret, string TimeZone, string Country, string Settings) r)
    {
        var owner = $"account '{r.Id}'";
        if (!protector.TryReveal(r.Secret, owner, out var secret) || !protector.TryReveal(r.Settings, owner, out var settings))
        {
            // Listed, so it is not taken for unknown (a provider's hooks get "try later", not "no such account").
            return new Account(r.Id, r.Provider, "", r.TimeZone, r.Country, new Dictionary<string, string>(), AccountSources.Database)
            {
                SecretsProblem = protector.UnreadableProblem,
            };
        }

        return new Account(
            r.Id, r.Provider, secret, r.TimeZone, r.Country,
            new Dictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(settings) ?? [], StringComparer.OrdinalIgnoreCase),
            AccountSources.Database);
    }

    public async Task AddAsync(Account account, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            """
            INSERT INTO accounts (id, provider, secret, time_zone, country, settings, created_at)
            VALUES (@Id, @Provider, @Secret, @TimeZone, @Country, @Settings, @CreatedAt)
            """,
            new
            {
                account.Id, account.Provider, Secret = protector.Protect(account.Secret), account.TimeZone, account.Country,
                Settings = protector.Protect(JsonSerializer.Serialize(account.Settings)),
                CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            });
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync("DELETE FROM accounts WHERE id = @id", new { id }) > 0;
    }

    public async Task AddAsync(string id, string name, string keyHash, DateTimeOffset createdAt, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO api_keys (id, name, key_hash, created_at) VALUES (@id, @name, @keyHash, @createdAt)",
            new { id, name, keyHash, createdAt = createdAt.ToUnixTimeMilliseconds() });
    }

    public async Task<bool> ExistsAsync(string keyHash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM api_keys WHERE key_hash = @keyHash", new { keyHash }) > 0;
    }

    /// <summary>Whether any key was created (<c>pbxhub keys create</c>), for the first-run guide.</summary>
    public async Task<bool> AnyKeyAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM api_keys") > 0;
    }
}
