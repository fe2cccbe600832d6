using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Accounts;
using PbxHub.Providers;
using PbxHub.Providers.Sipuni;
using PbxHub.Storage;

namespace PbxHub.Tests.Accounts;

/// <summary>The accounts a hub resolves while its database fails (docs/deployment.md, "When the database fails").</summary>
public sealed class AccountDirectoryTests
{
    private static readonly Account Stored = new("stored", "sipuni", "stored-secret", "Europe/Moscow", "RU", new Dictionary<string, string>(), AccountSources.Database);

    [Fact]
    public async Task FindAsync_DatabaseFailsAfterARead_StoredAndConfiguredAccountsStillResolve()
    {
        var (directory, store, time) = Directory();
        Assert.NotNull(await directory.FindAsync("stored"));

        store.Failing = true;
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.NotNull(await directory.FindAsync("stored"));
        Assert.NotNull(await directory.FindAsync("configured"));
        Assert.Null(await directory.FindAsync("nobody"));
    }

    [Fact]
    public async Task FindAsync_DatabaseNeverRead_ConfiguredResolvesUnknownIsUnavailableNotAbsent()
    {
        var (directory, store, _) = Directory();
        store.Failing = true;

        Assert.NotNull(await directory.FindAsync("configured"));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => directory.FindAsync("stored").AsTask());
    }

    private static (AccountDirectory, FailingStore, FakeTimeProvider) Directory()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PbxHub:Accounts:0:Id"] = "configured",
            ["PbxHub:Accounts:0:Provider"] = "sipuni",
            ["PbxHub:Accounts:0:Secret"] = "configured-secret",
        }).Build();
        var options = new AccountsOptions();
        options.Entries.AddRange(configuration.GetSection(AccountsOptions.Section).GetChildren());
        var store = new FailingStore();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var directory = new AccountDirectory(
            store, Options.Create(options), new ProviderRegistry([new SipuniAdapter()]), new StorageFaults(time, NullLogger<StorageFaults>.Instance), time);
        return (directory, store, time);
    }

    private sealed class FailingStore : IAccountStore
    {
        public bool Failing { get; set; }

        public Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct) => Failing
            ? Task.FromException<IReadOnlyList<Account>>(new SqliteException("unable to open database file", 14))
            : Task.FromResult<IReadOnlyList<Account>>([Stored]);

        public Task AddAsync(Account account, CancellationToken ct) => throw new NotSupportedException();

        public Task<bool> RemoveAsync(string id, CancellationToken ct) => throw new NotSupportedException();
    }
}
