using PbxHub.Calls;
using System.Net;
using System.Net.Http.Json;
using PbxHub.IntegrationTests.Connectors.Bitrix24;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Connectors;

/// <summary><c>/api/v1/connectors</c>, and the connectors' outbox rows kept out of <c>/api/v1/subscriptions</c>.</summary>
public sealed class ConnectorsApiTests
{
    [Fact]
    public async Task List_ConfiguredConnector_ShownWithHealthAndNotAmongSubscriptions()
    {
        await using var rig = await Bitrix24Rig.StartAsync(install: false);

        using var before = await rig.Hub.Client.GetJsonAsync("/api/v1/connectors");
        var listed = Assert.Single(before.RootElement.EnumerateArray());
        Assert.Equal("b24", listed.Str("id"));
        Assert.Equal("bitrix24", listed.Str("crm"));
        Assert.False(listed.GetProperty("installed").GetBoolean());
        Assert.True(listed.GetProperty("enabled").GetBoolean());
        Assert.EndsWith("/connectors/b24/events", listed.Str("eventsUrl"), StringComparison.Ordinal);
        using var subscriptions = await rig.Hub.Client.GetJsonAsync("/api/v1/subscriptions");
        Assert.Empty(subscriptions.RootElement.EnumerateArray());
        using var hidden = await rig.Hub.Client.GetAsync("/api/v1/subscriptions/connector:b24");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);

        using var http = new HttpClient();
        using var installed = await rig.Emulator.InstallAsync(http, rig.EventsUrl);
        using var after = await rig.Hub.Client.GetJsonAsync("/api/v1/connectors/b24");
        Assert.True(after.RootElement.GetProperty("installed").GetBoolean());
        Assert.Equal(new Uri(rig.Emulator.BaseUrl).Authority, after.RootElement.Str("portal"));
    }

    [Fact]
    public async Task Patch_DisableThenEnableAndRecover_NothingWhilePausedThenTheCallReachesTheCrm()
    {
        await using var rig = await Bitrix24Rig.StartAsync();
        using var paused = await rig.Hub.Client.PatchAsJsonAsync("/api/v1/connectors/b24", new { enabled = false });
        paused.EnsureSuccessStatusCode();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("paused", Bitrix24Rig.Client, Bitrix24Rig.Line, "101", 1_764_000_000L));
        // A read of the call folds it (docs/storage.md, fresh reads), and the fold is where deliveries are queued: once the
        // call reads as ended, whatever the paused connector was going to get is decided, and it is nothing.
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "paused")}",
            c => c.GetProperty("state").GetString() == "ended", "the call folded");
        using (var queued = await rig.Hub.Client.GetJsonAsync("/api/v1/connectors/b24/deliveries"))
        {
            Assert.Empty(queued.RootElement.GetProperty("items").EnumerateArray());
        }

        Assert.Empty(rig.Portal.Requests);

        using var resumed = await rig.Hub.Client.PatchAsJsonAsync("/api/v1/connectors/b24", new { enabled = true });
        resumed.EnsureSuccessStatusCode();
        // As for a webhook subscription, nothing is queued while disabled: recover sends what happened meanwhile.
        using var recovered = await rig.Hub.Client.PostAsync("/api/v1/connectors/b24/recover?since=2025-11-24T00:00:00Z", null);
        Assert.Equal(HttpStatusCode.Accepted, recovered.StatusCode);
        await Webhooks.WaitUntilAsync(() => rig.Portal.Accepted.Any(r => r.Method == "telephony.externalCall.finish"), "the call reached the CRM once enabled");
        // The attempt is recorded just after the portal answered it: the log is read once it holds the finish.
        await rig.Hub.Client.WaitForJsonAsync("/api/v1/connectors/b24/deliveries", l => l.GetProperty("items").EnumerateArray()
            .Any(d => d.GetProperty("attemptLog").EnumerateArray().Any(a => a.Str("response")?.Contains("telephony.externalCall.finish", StringComparison.Ordinal) == true)),
            "the delivery log naming the finish");
    }

    [Fact]
    public async Task Get_UnknownConnector_404Problem()
    {
        await using var rig = await Bitrix24Rig.StartAsync(install: false);
        using var response = await rig.Hub.Client.GetAsync("/api/v1/connectors/nope");
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("Unknown connector", problem.RootElement.Str("title"));
    }
}
