using System.Text.Json;
using Dapper;
using PbxHub.Security;

namespace PbxHub.Storage;

/// <summary>Subscriptions in the database, their signing secrets encrypted (the hub signs with them, so they cannot be hashed).</summary>
internal sealed class SqlSubscriptionStore(ISqlDatabase database, SecretProtector protector) : ISubscriptionStore
{
    private const string Select =
        """
        SELECT id, url, event_types, accounts, enabled, description, secret, previous_secret, previous_secret_until,
               disabled_reason, created_at, last_success_at, failing_since FROM subscriptions
        """;

    public async Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Row>(Select + " ORDER BY created_at, id")).Select(r => r.ToSubscription(protector)).ToList();
    }

    public async Task<Subscription?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QuerySingleOrDefaultAsync<Row>(Select + " WHERE id = @id", new { id }))?.ToSubscription(protector);
    }

    public Task AddAsync(Subscription s, CancellationToken ct) => database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            """
            INSERT INTO subscriptions (id, url, event_types, accounts, enabled, description, secret, previous_secret,
                previous_secret_until, disabled_reason, created_at, last_success_at, failing_since)
            VALUES (@Id, @Url, @EventTypes, @Accounts, @Enabled, @Description, @Secret, @PreviousSecret,
                @PreviousSecretUntil, @DisabledReason, @CreatedAt, @LastSuccessAt, @FailingSince)
            """, Parameters(s), tx),
        ct);

    public async Task<bool> UpdateAsync(string id, SubscriptionChange change, CancellationToken ct) => await database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            """
            UPDATE subscriptions SET url = COALESCE(@Url, url), event_types = COALESCE(@types, event_types),
                accounts = COALESCE(@accounts, accounts), description = COALESCE(@Description, description),
                disabled_reason = CASE WHEN @enabled = 1 THEN NULL ELSE disabled_reason END,
                failing_since = CASE WHEN @enabled = 1 AND enabled = 0 THEN NULL ELSE failing_since END,
                enabled = COALESCE(@enabled, enabled)
            WHERE id = @id
            """,
            new
            {
                id, change.Url, change.Description,
                types = change.EventTypes is null ? null : JsonSerializer.Serialize(change.EventTypes),
                accounts = change.Accounts is null ? null : JsonSerializer.Serialize(change.Accounts),
                enabled = change.Enabled is null ? (int?)null : change.Enabled.Value ? 1 : 0,
            },
            tx),
        ct) > 0;

    public async Task<bool> RotateSecretAsync(Subscription rotated, string replacedSecret, CancellationToken ct) => await database.WriteAsync(
        async (c, tx) =>
        {
            // Encryption is not deterministic: compare the decrypted secret, then update only the row as it was read.
            var stored = await c.QuerySingleOrDefaultAsync<string>("SELECT secret FROM subscriptions WHERE id = @Id", new { rotated.Id }, tx);
            // One whose secret cannot be decrypted was read with none (""): rotating it is how it is recovered.
            if (stored is null || !(protector.TryReveal(stored, $"subscription '{rotated.Id}'", out var current)
                    ? Secrets.AreEqual(replacedSecret, current) : replacedSecret.Length == 0))
            {
                return 0;
            }

            return await c.ExecuteAsync(
                """
                UPDATE subscriptions SET secret = @secret, previous_secret = @previous, previous_secret_until = @until
                WHERE id = @Id AND secret = @stored
                """,
                new
                {
                    rotated.Id, stored, secret = protector.Protect(rotated.Secret), previous = protector.ProtectOrNull(rotated.PreviousSecret),
                    until = rotated.PreviousSecretUntil?.ToUnixTimeMilliseconds(),
                },
                tx);
        },
        ct) > 0;

    public async Task<bool> RemoveAsync(string id, CancellationToken ct) => await database.WriteAsync(
        async (c, tx) =>
        {
            await c.ExecuteAsync(
                "DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE subscription_id = @id)", new { id }, tx);
            await c.ExecuteAsync("DELETE FROM deliveries WHERE subscription_id = @id", new { id }, tx);
            return await c.ExecuteAsync("DELETE FROM subscriptions WHERE id = @id", new { id }, tx);
        },
        ct) > 0;

    private object Parameters(Subscription s) => new
    {
        s.Id, s.Url, EventTypes = JsonSerializer.Serialize(s.EventTypes), Accounts = JsonSerializer.Serialize(s.Accounts),
        Enabled = s.Enabled ? 1 : 0, s.Description, Secret = protector.Protect(s.Secret), PreviousSecret = protector.ProtectOrNull(s.PreviousSecret),
        PreviousSecretUntil = s.PreviousSecretUntil?.ToUnixTimeMilliseconds(), s.DisabledReason,
        CreatedAt = s.CreatedAt.ToUnixTimeMilliseconds(), LastSuccessAt = s.LastSuccessAt?.ToUnixTimeMilliseconds(),
        FailingSince = s.FailingSince?.ToUnixTimeMilliseconds(),
    };

    private sealed record Row(
        string id, string url, string event_types, string accounts, long enabled, string? description, string secret,
        string? previous_secret, long? previous_secret_until, string? disabled_reason, long created_at, long? last_success_at,
        long? failing_since)
    {
        public Subscription ToSubscription(SecretProtector protector)
        {
            var owner = $"subscription '{id}'";
            string? previous = null;
            var readable = protector.TryReveal(secret, owner, out var current)
                && (previous_secret is null || protector.TryReveal(previous_secret, owner, out previous));
            return new Subscription(
                id, url, JsonSerializer.Deserialize<string[]>(event_types) ?? [], JsonSerializer.Deserialize<string[]>(accounts) ?? [],
                enabled != 0, description, readable ? current! : "", readable ? previous : null, Time(previous_secret_until), disabled_reason,
                DateTimeOffset.FromUnixTimeMilliseconds(created_at), Time(last_success_at), Time(failing_since))
            {
                SecretsProblem = readable ? null : protector.UnreadableProblem,
            };
        }

        private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
    }
}
