using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Connectors.AmoCrm.AmoCrmRig;

namespace PbxHub.IntegrationTests.Connectors.AmoCrm;

/// <summary><c>POST /api/v1/connectors/{id}/recover</c> pressed again while the last replay is still being sent and recorded.</summary>
public sealed class AmoCrmRecoverTests
{
    [Fact]
    public async Task Recover_AgainWhileTheLastReplayIsRecorded_EachAcceptedAndNoCallAddedTwice()
    {
        await using var rig = await AmoCrmRig.StartAsync();
        var ids = Enumerable.Range(0, 10).Select(i => $"amo-recover-{i}").ToList();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, ids.SelectMany((id, i) => SipuniHooks.MissedInbound(id, Client, Line, "101", 1_764_000_000L + (i * 60))));
        var callIds = ids.Select(id => StableIds.CallId(HubServer.AccountId, id)).ToList();
        await Webhooks.WaitUntilAsync(() => callIds.All(id => rig.CallsOf(id).Count == 1), "every call added");

        // Each recover resets the rows the dispatcher is replaying and writing attempts for (on PostgreSQL two writers of the
        // same rows in another order: one of them is chosen to fail), as an operator pressing it twice would.
        var answers = new List<System.Net.HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var recovered = await rig.Hub.Client.PostAsync($"/api/v1/connectors/{ConnectorId}/recover?since=2000-01-01T00:00:00Z", null);
            answers.Add(recovered.StatusCode);
            await Task.Delay(20);
        }

        Assert.All(answers, a => Assert.Equal(System.Net.HttpStatusCode.Accepted, a));
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}/deliveries?limit=1000",
            l => l.GetProperty("items").EnumerateArray().All(d => d.Str("state") == "delivered"), "the last replay delivered");
        Assert.All(callIds, id => Assert.Single(rig.CallsOf(id)));
    }
}
