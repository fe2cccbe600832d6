using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Storage;

namespace PbxHub.IntegrationTests.Cluster;

/// <summary>Periodic jobs (the sweeper) run on one node of a cluster at a time.</summary>
public sealed class ClusterJobsTests
{
    [PostgresFact]
    public async Task TryLead_TwoNodesOnOneDatabase_OneLeadsUntilItLetsGo()
    {
        var data = HubProcess.NewDataDirectory();
        await using var nodeA = await HubServer.StartAsync(dataDirectory: data);
        await using var nodeB = await HubServer.StartAsync(dataDirectory: data);
        var storeA = nodeA.Services.GetRequiredService<IHubStore>();
        var storeB = nodeB.Services.GetRequiredService<IHubStore>();

        var lead = await storeA.TryLeadAsync("test-job", default);
        Assert.NotNull(lead);
        Assert.Null(await storeB.TryLeadAsync("test-job", default));
        await using (var other = await storeB.TryLeadAsync("another-job", default))
        {
            Assert.NotNull(other);
        }

        await lead.DisposeAsync();
        await using var next = await storeB.TryLeadAsync("test-job", default);
        Assert.NotNull(next);
    }
}
