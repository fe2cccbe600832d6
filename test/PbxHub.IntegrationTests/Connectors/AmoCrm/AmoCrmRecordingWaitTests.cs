using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Recordings;
using static PbxHub.IntegrationTests.Connectors.AmoCrm.AmoCrmRig;

namespace PbxHub.IntegrationTests.Connectors.AmoCrm;

/// <summary>
/// A call that settles while PbxHub is still fetching its recording waits for the kept copy, at most
/// <c>AmoCrm:RecordingWait</c>, because amoCRM cannot change a call once added (docs/connectors/amocrm.md#recordings).
/// </summary>
public sealed class AmoCrmRecordingWaitTests
{
    private const long Start = 1_764_000_000L;

    [Fact]
    public async Task Deliver_RecordingStillBeingFetchedWhenTheCallSettles_TheCallWaitsThenCarriesPbxHubsLink()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        var address = $"http://127.0.0.1:{HubProcess.FreePort()}";
        // The origin answers 503 twice: the file is kept at the third attempt, about 6 s after the end, after the 2 s settle.
        await using var rig = await AmoCrmRig.StartAsync(settings: Settings(origin, address, retries: "00:00:03, 00:00:03, 00:00:03"));
        var callId = await SendAnsweredAsync(rig, origin, "amo-wait");

        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}/deliveries", l => Mentions(l, "waiting for PbxHub to keep the recording"),
            "the call waiting for the recording");
        Assert.Empty(rig.CallsOf(callId));

        await Webhooks.WaitUntilAsync(() => rig.CallsOf(callId).Count == 1, "the call added", seconds: 60);
        var link = Assert.Single(rig.CallsOf(callId)).Link!;
        Assert.StartsWith(address + "/recordings/", link, StringComparison.Ordinal);
        using var player = new HttpClient();
        Assert.Equal(RecordingOrigin.Wav, await player.GetByteArrayAsync(link));
        Assert.Equal(3, origin.Hits("/flaky/amo-wait.wav"));
    }

    [Fact]
    public async Task Deliver_RecordingNotKeptWithinRecordingWait_TheCallGoesWithTheProvidersLink()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        var address = $"http://127.0.0.1:{HubProcess.FreePort()}";
        var settings = Settings(origin, address, retries: "00:10:00");
        settings["PbxHub:Connectors:0:AmoCrm:RecordingWait"] = "00:00:03";
        await using var rig = await AmoCrmRig.StartAsync(settings: settings);
        var callId = await SendAnsweredAsync(rig, origin, "amo-nowait");

        await Webhooks.WaitUntilAsync(() => rig.CallsOf(callId).Count == 1, "the call added", seconds: 60);

        Assert.Equal($"{origin.BaseUrl}/flaky/amo-nowait.wav", Assert.Single(rig.CallsOf(callId)).Link);
        using var log = await rig.Hub.Client.GetJsonAsync($"/api/v1/connectors/{ConnectorId}/deliveries");
        Assert.True(Mentions(log.RootElement, "waiting for PbxHub to keep the recording"), "the delivery log shows the wait before the provider's link");
    }

    private static Dictionary<string, string> Settings(RecordingOrigin origin, string address, string retries) => new()
    {
        ["urls"] = address,
        ["PbxHub:Outbound:PublicBaseUrl"] = address,
        ["PbxHub:Accounts:0:Recordings:Hosts"] = origin.Host,
        ["PbxHub:Recordings:PollInterval"] = "00:00:00.050",
        ["PbxHub:Recordings:Retries"] = retries,
    };

    private static async Task<string> SendAnsweredAsync(AmoCrmRig rig, RecordingOrigin origin, string id)
    {
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
        [
            SipuniHooks.Arrival(id, Client, Line, Start),
            SipuniHooks.Ring(id, Client, "101", Start),
            SipuniHooks.Answer(id, Client, "101", Start + 5),
            SipuniHooks.HangUp(id, Client, "101", "ANSWER", Start, Start + 5, Start + 35)
                + "&call_record_link=" + Uri.EscapeDataString($"{origin.BaseUrl}/flaky/{id}.wav"),
        ]);
        return StableIds.CallId(HubServer.AccountId, id);
    }

    private static bool Mentions(System.Text.Json.JsonElement log, string text) =>
        log.GetProperty("items").EnumerateArray().Any(d => d.GetProperty("attemptLog").ToString().Contains(text, StringComparison.Ordinal));
}
