using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Recordings;
using static PbxHub.IntegrationTests.Connectors.AmoCrm.AmoCrmRig;

namespace PbxHub.IntegrationTests.Connectors.AmoCrm;

/// <summary>The call's <c>link</c> is PbxHub's kept copy (amoCRM cannot update a call, so the call waits for it), docs/connectors/amocrm.md#recordings.</summary>
public sealed class AmoCrmRecordingTests
{
    [Fact]
    public async Task Deliver_RecordingBeingKept_TheCallWaitsAndCarriesPbxHubsLinkServingTheKeptFile()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        var address = $"http://127.0.0.1:{HubProcess.FreePort()}";
        await using var rig = await AmoCrmRig.StartAsync(settings: new Dictionary<string, string>
        {
            ["urls"] = address,
            ["PbxHub:Outbound:PublicBaseUrl"] = address,
            ["PbxHub:Accounts:0:Recordings:Hosts"] = origin.Host,
            ["PbxHub:Recordings:PollInterval"] = "00:00:00.050",
        });
        const long start = 1_764_000_000L;
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
        [
            SipuniHooks.Arrival("amo-rec", Client, Line, start),
            SipuniHooks.Ring("amo-rec", Client, "101", start),
            SipuniHooks.Answer("amo-rec", Client, "101", start + 5),
            SipuniHooks.HangUp("amo-rec", Client, "101", "ANSWER", start, start + 5, start + 35)
                + "&call_record_link=" + Uri.EscapeDataString($"{origin.BaseUrl}/rec/amo-rec.wav"),
        ]);
        var callId = StableIds.CallId(HubServer.AccountId, "amo-rec");

        await Webhooks.WaitUntilAsync(() => rig.CallsOf(callId).Count == 1, "the call added");
        var link = rig.CallsOf(callId)[0].Link!;
        Assert.StartsWith(address + "/recordings/", link, StringComparison.Ordinal);
        using var player = new HttpClient();
        Assert.Equal(RecordingOrigin.Wav, await player.GetByteArrayAsync(link));
        await rig.Hub.Client.WaitForJsonAsync(
            $"/api/v1/connectors/{ConnectorId}/deliveries", l => l.GetProperty("items").EnumerateArray().All(d => d.GetProperty("state").GetString() != "pending"),
            "the connector's deliveries done");
        Assert.Single(rig.Account.Calls);
    }
}
