using Microsoft.Extensions.Options;
using PbxHub.Providers;
using PbxHub.Storage;

namespace PbxHub.Accounts;

/// <summary>
/// The accounts the hub knows: those declared in configuration and those stored in the database.
/// Lookups sit on the ingest path, so they are served from a snapshot refreshed on change and
/// every few seconds (other nodes may add accounts to a shared database).
/// </summary>
internal sealed class AccountDirectory(
    IAccountStore store, IOptions<AccountsOptions> options, ProviderRegistry providers, StorageFaults faults, TimeProvider time)
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);
    private volatile Snapshot? snapshot;

    public async ValueTask<Account?> FindAsync(string id, CancellationToken ct = default)
    {
        var current = await CurrentAsync(ct);
        if (current.ById.GetValueOrDefault(id) is { } account)
        {
            return account;
        }

        // Not to be answered "no such account" (a provider may drop the event): the database was never read.
        return current.Complete ? null : throw new StorageUnavailableException($"The stored accounts could not be read to find '{id}'.");
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

        Changed();
        return account;
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken ct = default)
    {
        var removed = await store.RemoveAsync(id, ct);
        Changed();
        return removed;
    }

    private void Changed()
    {
        lock (refreshLock)
        {
            generation++;
            snapshot = null;
        }
    }

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var s = snapshot;
        if (s is not null && time.GetUtcNow() - s.TakenAt < RefreshAfter)
        {
            return s;
        }

        var refresh = Refresh();
        if (s is null)
        {
            return await refresh.WaitAsync(ct);
        }

        // Ingest must not wait on a database that hangs: past a moment, the last snapshot answers.
        try
        {
            return await refresh.WaitAsync(StaleWait, ct);
        }
        catch (TimeoutException)
        {
            return s;
        }
    }

    /// <summary>The refresh under way, or a new one: one at a time, whoever asks.</summary>
    private Task<Snapshot> Refresh()
    {
        lock (refreshLock)
        {
            // One started before an account was added or removed may not have it: start another.
            if (refreshing is not { IsCompleted: false } || refreshingGeneration != generation)
            {
                var current = generation;
                refreshing = Task.Run(() => LoadAsync(snapshot ?? lastLoaded, current));
                refreshingGeneration = current;
            }

            return refreshing;
        }
    }

    /// <summary>
    /// Reads the stored accounts. When the database fails, the accounts known before stay (those of the configuration
    /// at least) and the next attempt is a refresh period later (docs/deployment.md, "When the database fails").
    /// </summary>
    private async Task<Snapshot> LoadAsync(Snapshot? previous, int startedAt)
    {
        var now = time.GetUtcNow();
        var byId = new Dictionary<string, Account>(StringComparer.Ordinal);
        var complete = true;
        try
        {
            foreach (var account in await store.ListAsync(CancellationToken.None))
            {
                byId[account.Id] = account;
            }
        }
        catch (Exception ex) when (faults.Absorb(ex, "reading accounts"))
        {
            if (previous is not null)
            {
                return Keep(previous with { TakenAt = now }, startedAt);
            }

            complete = false;
        }

        foreach (var account in options.Value.ToAccounts(providers))
        {
            byId[account.Id] = account;
        }

        return Keep(new Snapshot(byId, now, complete), startedAt);
    }

    private Snapshot Keep(Snapshot loaded, int startedAt)
    {
        lock (refreshLock)
        {
            lastLoaded = loaded;
            if (startedAt == generation)
            {
                snapshot = loaded;
            }
        }

        return loaded;
    }

    /// <summary>How long a request waits for a refresh before the last snapshot answers it.</summary>
    private static readonly TimeSpan StaleWait = TimeSpan.FromSeconds(1);

    private readonly Lock refreshLock = new();
    private Task<Snapshot>? refreshing;
    private int refreshingGeneration;
    private int generation;

    /// <summary>The last snapshot loaded, kept when a change set <see cref="snapshot"/> aside: the fallback if the database then fails.</summary>
    private Snapshot? lastLoaded;

    /// <param name="Complete">False when only the configuration's accounts are known: the database could not be read yet.</param>
    private sealed record Snapshot(Dictionary<string, Account> ById, DateTimeOffset TakenAt, bool Complete = true);
}

internal sealed class AccountConflictException(string id) : Exception($"An account with id '{id}' already exists.");
