using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.Connectors;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Tests.Connectors;

namespace PbxHub.IntegrationTests.Connectors;

/// <summary>
/// Two nodes on one PostgreSQL database share an OAuth connector's token pair (docs/connectors.md#bitrix24,
/// docs/connectors/amocrm.md#authorisation): the CRM takes each refresh token once, so only one node may refresh it.
/// </summary>
public sealed class OAuthTwoNodesTests
{
    private static readonly ConnectorOptions Connector = new() { Id = "two-nodes", Crm = "test" };

    [PostgresFact]
    public async Task SendAsync_BothNodesFindTheTokenDue_OneRefreshAndBothSendWithTheNewToken()
    {
        await using var hub = await HubServer.StartAsync();
        var store = hub.Services.GetRequiredService<ConnectorStore>();
        var time = TimeProvider.System;
        // Each node has its own OAuthTokens (its own in-process gate) over the one database.
        var (first, second) = (new OAuthTokens(store, time), new OAuthTokens(store, time));
        var crm = new StandInOAuthCrm(time);
        await first.SaveAsync(Connector.Id, new StandInSecrets("access-1", "refresh-1", time.GetUtcNow().AddMinutes(1)), default);
        var refreshing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        crm.OnRefresh = () =>
        {
            refreshing.TrySetResult();
            return release.Task.WaitAsync(TimeSpan.FromSeconds(30));
        };

        var firstSends = first.SendAsync(crm, Connector, crm.SendAsync, default);
        await refreshing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var secondSends = second.SendAsync(crm, Connector, crm.SendAsync, default);
        await SecondWaitsOrEndedAsync(hub, secondSends);
        release.SetResult();
        var answers = await Task.WhenAll(firstSends, secondSends);

        Assert.All(answers, a => Assert.Equal(new StandInAnswer(200, "access-2", null), a));
        Assert.Equal(1, crm.Refreshes);
        Assert.Equal("refresh-2", (await second.ReadAsync<StandInSecrets>(Connector.Id, default))!.RefreshToken);
    }

    /// <summary>Until the second node waits for the secrets' lock (or, were there none, has already finished).</summary>
    private static async Task SecondWaitsOrEndedAsync(HubServer hub, Task second)
    {
        await using var db = await TestStorage.OpenAsync(hub.DataDirectory);
        for (var tries = 0; tries < 300 && !second.IsCompleted; tries++)
        {
            if (await db.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
