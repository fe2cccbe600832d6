using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Connectors;
using PbxHub.Security;
using PbxHub.Storage;
using PbxHub.Storage.Sqlite;

namespace PbxHub.Tests.Connectors;

/// <summary>
/// The OAuth token keeping Bitrix24's and amoCRM's clients share (docs/connectors.md#bitrix24,
/// docs/connectors/amocrm.md#authorisation), its tokens kept in a real SQLite database.
/// </summary>
public sealed class OAuthTokensTests : IAsyncLifetime
{
    private static readonly ConnectorOptions Connector = new() { Id = "crm", Crm = "test" };

    private readonly string folder = Path.Combine(Path.GetTempPath(), "pbxhub-tests", Guid.NewGuid().ToString("n"));
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly SqliteDatabase database;
    private readonly OAuthTokens tokens;
    private readonly StandInOAuthCrm crm;

    public OAuthTokensTests()
    {
        var storage = Options.Create(new StorageOptions { DataDirectory = folder });
        database = new SqliteDatabase(storage);
        var protector = new SecretProtector(new EphemeralDataProtectionProvider(), Options.Create(new SecurityOptions()), storage, NullLogger<SecretProtector>.Instance);
        tokens = new OAuthTokens(new ConnectorStore(database, protector, time), time);
        crm = new StandInOAuthCrm(time);
    }

    public Task InitializeAsync() => database.MigrateAsync(default);

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task SendAsync_TokenReachesRefreshBefore_RefreshedBeforeTheRequestAndKept()
    {
        await InstallAsync(expiresIn: TimeSpan.FromMinutes(10));

        var early = await SendAsync();
        time.Advance(TimeSpan.FromMinutes(5));
        var due = await SendAsync();

        Assert.Equal([200, 200], [early.Status, due.Status]);
        Assert.Equal(["access-1", "access-2"], crm.Sent);
        Assert.Equal(1, crm.Refreshes);
        Assert.Equal(new StandInSecrets("access-2", "refresh-2", time.GetUtcNow().AddHours(1)), await tokens.ReadAsync<StandInSecrets>(Connector.Id, default));
    }

    [Fact]
    public async Task SendAsync_ConcurrentCallersAllToldExpired_OneRefreshEveryoneRetriesWithTheNewToken()
    {
        const int Callers = 8;
        await InstallAsync(expiresIn: TimeSpan.FromHours(1));
        crm.ExpireNow();
        var allRefused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refused = 0;
        crm.OnExpired = () =>
        {
            // Every caller holds the stale token before any refreshes: each would refresh if the refresh were not shared.
            if (Interlocked.Increment(ref refused) == Callers)
            {
                allRefused.SetResult();
            }

            return allRefused.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        };

        var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => SendAsync()));

        Assert.All(answers, a => Assert.Equal((200, "access-2"), (a.Status, a.Token)));
        Assert.Equal(1, crm.Refreshes);
    }

    [Fact]
    public async Task SendAsync_AnsweredExpiredBeforeItsTime_OneRefreshAndTheSameRequestOnceMore()
    {
        await InstallAsync(expiresIn: TimeSpan.FromHours(1));
        crm.ExpireNow();

        var answer = await SendAsync();

        Assert.Equal((200, "access-2"), (answer.Status, answer.Token));
        Assert.Equal(["access-1", "access-2"], crm.Sent);
        Assert.Equal(1, crm.Refreshes);
    }

    [Fact]
    public async Task SendAsync_StillExpiredAfterTheRefresh_NotRetriedAgainAndReportedAsStillExpired()
    {
        await InstallAsync(expiresIn: TimeSpan.FromHours(1));
        crm.Revoked = true;

        var answer = await SendAsync();

        Assert.Equal((401, "still expired after a refresh"), (answer.Status, answer.Problem));
        Assert.Equal(["access-1", "access-2"], crm.Sent);
        Assert.Equal(1, crm.Refreshes);
    }

    [Fact]
    public async Task SendAsync_RefreshRefused_TheRefusalNothingSentAndTheOldPairKept()
    {
        var installed = new StandInSecrets("access-1", "refresh-used", time.GetUtcNow().AddMinutes(1));
        await tokens.SaveAsync(Connector.Id, installed, default);

        var answer = await SendAsync();

        Assert.Equal((400, "refreshing the token: invalid_grant"), (answer.Status, answer.Problem));
        Assert.Empty(crm.Sent);
        Assert.Equal(installed, await tokens.ReadAsync<StandInSecrets>(Connector.Id, default));
    }

    [Fact]
    public async Task SendAsync_NothingInstalled_NotInstalledAndNothingSent()
    {
        var answer = await SendAsync();

        Assert.Equal("not installed", answer.Problem);
        Assert.Empty(crm.Sent);
        Assert.Equal(0, crm.Refreshes);
    }

    [Fact]
    public async Task UpdateAsync_WhileARefreshRuns_WaitsAndBothTheNewTokensAndTheChangeAreKept()
    {
        await InstallAsync(expiresIn: TimeSpan.FromMinutes(1));
        var refreshing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        crm.OnRefresh = () =>
        {
            refreshing.TrySetResult();
            return release.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        };

        var send = SendAsync();
        await refreshing.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        var update = tokens.UpdateAsync<StandInSecrets>(Connector.Id, s => s with { Line = "74951234567" }, default);
        release.SetResult();
        await Task.WhenAll(send, update);

        Assert.Equal(new StandInSecrets("access-2", "refresh-2", time.GetUtcNow().AddHours(1), "74951234567"), await tokens.ReadAsync<StandInSecrets>(Connector.Id, default));
    }

    private Task InstallAsync(TimeSpan expiresIn) =>
        tokens.SaveAsync(Connector.Id, new StandInSecrets("access-1", "refresh-1", time.GetUtcNow() + expiresIn), default);

    private Task<StandInAnswer> SendAsync() => tokens.SendAsync(crm, Connector, crm.SendAsync, default);
}
