using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Connectors.AmoCrm;
using PbxHub.IntegrationTests.Connectors.RetailCrm;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Recordings;

namespace PbxHub.IntegrationTests.Connectors;

/// <summary>
/// amoCRM and RetailCRM keep the recording link for ever and play it whenever a user opens the call, so theirs outlives
/// <c>PbxHub:Recordings:LinkLifetime</c> (a year, or the connector's <c>RecordingLinkLifetime</c>), docs/recordings.md#connectors.
/// </summary>
public sealed class CrmRecordingLinkTests
{
    private const long Start = 1_764_000_000L;

    [Fact]
    public async Task Deliver_AmoCrmAfterTheHubsOwnLinksExpired_TheCallsLinkStillPlays()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        var address = $"http://127.0.0.1:{HubProcess.FreePort()}";
        await using var rig = await AmoCrmRig.StartAsync(settings: Kept(origin, address));
        var callId = await SendAnsweredAsync(rig.Hub, origin, "amo-link");

        await Webhooks.WaitUntilAsync(() => rig.CallsOf(callId).Count == 1, "the call added");
        var apiLink = await ApiLinkAsync(rig.Hub, callId);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        using var player = new HttpClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await player.GetAsync(apiLink)).StatusCode);
        Assert.Equal(RecordingOrigin.Wav, await player.GetByteArrayAsync(rig.CallsOf(callId)[0].Link!));
    }

    [Fact]
    public async Task Deliver_RetailCrmAfterTheHubsOwnLinksExpired_TheUploadsRecordUrlStillPlays()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        var address = $"http://127.0.0.1:{HubProcess.FreePort()}";
        var settings = Kept(origin, address);
        settings["PbxHub:Recordings:Enabled"] = "true";
        await using var rig = await RetailCrmRig.StartAsync(settings);
        var callId = await SendAnsweredAsync(rig.Hub, origin, "rc-link");

        await Webhooks.WaitUntilAsync(() => rig.UploadsOf(callId).Count == 1, "the call uploaded");
        var recordUrl = (string)rig.UploadsOf(callId)[0]["recordUrl"]!;
        Assert.StartsWith(address + "/recordings/", recordUrl, StringComparison.Ordinal);
        var apiLink = await ApiLinkAsync(rig.Hub, callId);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        using var player = new HttpClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await player.GetAsync(apiLink)).StatusCode);
        Assert.Equal(RecordingOrigin.Wav, await player.GetByteArrayAsync(recordUrl));
    }

    [Fact]
    public async Task Deliver_ConnectorsRecordingLinkLifetime_TheCrmsLinkExpiresWithIt()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        var address = $"http://127.0.0.1:{HubProcess.FreePort()}";
        var settings = Kept(origin, address);
        settings["PbxHub:Recordings:LinkLifetime"] = "01:00:00";
        settings["PbxHub:Connectors:0:RecordingLinkLifetime"] = "00:00:01";
        await using var rig = await AmoCrmRig.StartAsync(settings: settings);
        var callId = await SendAnsweredAsync(rig.Hub, origin, "amo-short");

        await Webhooks.WaitUntilAsync(() => rig.CallsOf(callId).Count == 1, "the call added");
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        using var player = new HttpClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await player.GetAsync(rig.CallsOf(callId)[0].Link!)).StatusCode);
    }

    [Fact]
    public async Task CreateConnector_RecordingLinkLifetimeOverAYear_RefusedNamingIt()
    {
        await using var hub = await HubServer.StartAsync();
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/connectors", new
        {
            id = "amo2", crm = "amocrm", defaultUser = "1", recordingLinkLifetime = "400.00:00:00",
            amoCrm = new { baseUrl = "https://example.amocrm.ru", token = "t" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("RecordingLinkLifetime '400.00:00:00' must be from 00:00:01 to 365.00:00:00", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Recordings kept by the hub from <paramref name="origin"/>, its own signed links lasting one second.</summary>
    private static Dictionary<string, string> Kept(RecordingOrigin origin, string address) => new()
    {
        ["urls"] = address,
        ["PbxHub:Outbound:PublicBaseUrl"] = address,
        ["PbxHub:Accounts:0:Recordings:Hosts"] = origin.Host,
        ["PbxHub:Recordings:PollInterval"] = "00:00:00.050",
        ["PbxHub:Recordings:LinkLifetime"] = "00:00:01",
    };

    private static async Task<string> SendAnsweredAsync(HubServer hub, RecordingOrigin origin, string id)
    {
        await hub.Client.SendHooksAsync(hub.HookPath,
        [
            SipuniHooks.Arrival(id, AmoCrmRig.Client, AmoCrmRig.Line, Start),
            SipuniHooks.Ring(id, AmoCrmRig.Client, "101", Start),
            SipuniHooks.Answer(id, AmoCrmRig.Client, "101", Start + 5),
            SipuniHooks.HangUp(id, AmoCrmRig.Client, "101", "ANSWER", Start, Start + 5, Start + 35)
                + "&call_record_link=" + Uri.EscapeDataString($"{origin.BaseUrl}/rec/{id}.wav"),
        ]);
        return StableIds.CallId(HubServer.AccountId, id);
    }

    /// <summary>A signed link from the API, which lasts <c>PbxHub:Recordings:LinkLifetime</c>.</summary>
    private static async Task<string> ApiLinkAsync(HubServer hub, string callId)
    {
        using var response = await hub.Client.PostAsync($"/api/v1/calls/{callId}/recording/link", null);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("url").GetString()!;
    }
}
