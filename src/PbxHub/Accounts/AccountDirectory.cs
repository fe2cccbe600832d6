using Microsoft.Extensions.Options;
using PbxHub.Providers;
using PbxHub.Storage;

namespace PbxHub.Accounts;

/// <summary>
/// The accounts the hub knows: those declared in configuration and those stored in the database.
/// Lookups sit on the ingest path, so they are served from a snapshot refreshed on change and
/// every few seconds (other nodes may add accounts to a shared database).
/// </summary>
internal sealed class AccountDirectory(IAccountStore store, IOptions<AccountsOptions> options, ProviderRegistry providers, TimeProvider time)
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);
    private volatile Snapshot? snapshot;
    private readonly SemaphoreSlim refreshing = new(1, 1);

    public async ValueTask<Account?> FindAsync(string id, CancellationToken ct = default)
    {
        var current = await CurrentAsync(ct);
        return current.ById.GetValueOrDefault(id);
    }

    public async ValueTask<IReadOnlyList<Account>> ListAsync(CancellationToken ct = default) =>
        (await CurrentAsync(ct)).ById.Values.OrderBy(a => a.Id, StringComparer.Ordinal).ToList();

    public async Task<Account> AddAsync(Account account, CancellationToken ct = default)
    {
        AccountValidation.ThrowIfInvalid(account, providers);
        if (await FindAsync(account.Id, ct) is not null)
        {
            throw new AccountConflictException(account.Id);
        }

        try
        {
            await store.AddAsync(account, ct);
        }
        catch (System.Data.Common.DbException)
        {
            // Created by another request since the check above: the store's unique id is the arbiter.
            if (!(await store.ListAsync(ct)).Any(a => a.Id == account.Id))
            {
                throw;
            }

            throw new AccountConflictException(account.Id);
        }

        snapshot = null;
        return account;
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken ct = default)
    {
        var removed = await store.RemoveAsync(id, ct);
        snapshot = null;
        return removed;
    }

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (snapshot is { } s && now - s.TakenAt < RefreshAfter)
        {
            return s;
        }

        await refreshing.WaitAsync(ct);
        try
        {
            if (snapshot is { } again && now - again.TakenAt < RefreshAfter)
            {
                return again;
            }

            var byId = new Dictionary<string, Account>(StringComparer.Ordinal);
            foreach (var account in await store.ListAsync(ct))
            {
                byId[account.Id] = account;
            }

            foreach (var account in options.Value.ToAccounts(providers))
            {
                byId[account.Id] = account;
            }

            var fresh = new Snapshot(byId, now);
            snapshot = fresh;
            return fresh;
        }
        finally
        {
            refreshing.Release();
        }
    }

    private sealed record Snapshot(Dictionary<string, Account> ById, DateTimeOffset TakenAt);
}

internal sealed class AccountConflictException(string id) : Exception($"An account with id '{id}' already exists.");
