using System.Net;
using System.Text.Json.Nodes;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Connectors.RetailCrm.RetailCrmRig;

namespace PbxHub.IntegrationTests.Connectors.RetailCrm;

/// <summary>Sipuni calls reaching the RetailCRM stand-in through the connector, over real HTTP: the module, the call events, the upload.</summary>
public sealed class RetailCrmConnectorTests
{
    private const string RecordingUrl = "https://sipuni.com/api/crm/record?id=354435435436&hash=abc.mp3";

    /// <summary>An inbound call rung to 101 and 102 at once, answered by 102 after 5 s, 30 s of talk, with a recording.</summary>
    internal static string[] TwoEmployeesSecondAnswers(string callId, long start, string client = Client) =>
    [
        SipuniHooks.Arrival(callId, client, Line, start),
        SipuniHooks.Ring(callId, client, "101", start),
        SipuniHooks.Ring(callId, client, "102", start),
        SipuniHooks.Answer(callId, client, "102", start + 5),
        SipuniHooks.HangUp(callId, client, "102", "ANSWER", start, start + 5, start + 35) + "&call_record_link=" + Uri.EscapeDataString(RecordingUrl),
    ];

    [Fact]
    public async Task Deliver_FirstCall_ModuleRegisteredWithMakeCallUrlCodesAndLinesBeforeTheEvents()
    {
        await using var rig = await RetailCrmRig.StartAsync();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("first-1", Client, Line, "101", 1_764_000_000L));
        var callId = StableIds.CallId(HubServer.AccountId, "first-1");

        await Webhooks.WaitUntilAsync(() => rig.UploadsOf(callId).Count == 1, "the call uploaded");
        Assert.Equal($"integration-modules/{Code}/edit", rig.System.Accepted[0].Method);
        var module = rig.System.Module(Code)!;
        Assert.Equal(Code, (string?)module["integrationCode"]);
        Assert.True((bool)module["active"]!);
        Assert.Equal(48, ((string?)module["clientId"])!.Length);
        var telephony = module["integrations"]!["telephony"]!;
        Assert.Equal($"{PublicBaseUrl}/connectors/{ConnectorId}/events", (string?)telephony["makeCallUrl"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"userId":5,"code":"101"},{"userId":7,"code":"102"}]"""), telephony["additionalCodes"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"siteCode":"main","externalPhone":"+74951234567"}]"""), telephony["externalPhones"]));
        Assert.All(new[] { "inputEventSupported", "outputEventSupported", "hangupEventSupported" }, f => Assert.True((bool)telephony[f]!));
        Assert.False((bool)telephony["allowEdit"]!);
        Assert.DoesNotContain(rig.System.Requests, r => r.Error is not null);
        using var connector = await rig.Hub.Client.GetJsonAsync($"/api/v1/connectors/{ConnectorId}");
        Assert.True(connector.RootElement.GetProperty("installed").GetBoolean());
        Assert.Equal(rig.Emulator.BaseUrl, connector.RootElement.GetProperty("portal").GetString());
    }

    [Fact]
    public async Task Deliver_InboundRungToTwoAnsweredBySecond_InForEachHangupThenOneUploadOfTheSecond()
    {
        await using var rig = await RetailCrmRig.StartAsync();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, TwoEmployeesSecondAnswers("two-1", 1_764_000_000L));
        var callId = StableIds.CallId(HubServer.AccountId, "two-1");

        await Webhooks.WaitUntilAsync(() => rig.UploadsOf(callId).Count == 1, "the call uploaded");
        var events = rig.EventsOf(callId);
        Assert.Equal(["in 101", "in 102", "hangup 102"], events.Select(Short));
        Assert.All(events, e => Assert.Equal("+79161234567", (string?)e["phone"]));
        Assert.Equal("[5]", events[0]["userIds"]!.ToJsonString());
        Assert.Equal("answered", (string?)events[2]["hangupStatus"]);
        Assert.Equal("+74951234567", (string?)events[0]["externalPhone"]);
        var call = rig.UploadsOf(callId).Single();
        Assert.Equal("2025-11-24 19:00:00", (string?)call["date"]);
        Assert.Equal("in", (string?)call["type"]);
        Assert.Equal("+79161234567", (string?)call["phone"]);
        Assert.Equal("102", (string?)call["code"]);
        Assert.Equal(7, (int)call["userId"]!);
        Assert.Equal("answered", (string?)call["result"]);
        Assert.Equal(30, (int)call["duration"]!);
        Assert.Equal(5, (int)call["durationWaiting"]!);
        Assert.Equal(RecordingUrl, (string?)call["recordUrl"]);
        Assert.Equal("+74951234567", (string?)call["externalPhone"]);
        Assert.Equal(Site, (string?)call["site"]);
    }

    [Fact]
    public async Task Deliver_MissedInbound_HangupNoAnsweredAndUploadedAsNoAnswerForTheDefaultUser()
    {
        await using var rig = await RetailCrmRig.StartAsync();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("missed-1", Client, Line, "101", 1_764_000_000L));
        var callId = StableIds.CallId(HubServer.AccountId, "missed-1");

        await Webhooks.WaitUntilAsync(() => rig.UploadsOf(callId).Count == 1, "the call uploaded");
        Assert.Equal(["in 101", "hangup 101"], rig.EventsOf(callId).Select(Short));
        Assert.Equal("no answered", (string?)rig.EventsOf(callId)[1]["hangupStatus"]);
        var call = rig.UploadsOf(callId).Single();
        Assert.Equal("no answer", (string?)call["result"]);
        Assert.Equal(1, (int)call["userId"]!);
        Assert.Null(call["code"]);
        Assert.Equal(0, (int)call["duration"]!);
        Assert.Equal(20, (int)call["durationWaiting"]!);
    }

    [Fact]
    public async Task Deliver_NumberTheCrmDoesNotKnow_SentAsAnyOtherWithTheClientsNumber()
    {
        // RetailCRM finds (or not) the customer by phone itself: the hub sends the same fields, nothing to create a customer.
        await using var rig = await RetailCrmRig.StartAsync();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.AnsweredInbound("unknown-1", "89260000001", Line, "102", 1_764_000_000L));
        var callId = StableIds.CallId(HubServer.AccountId, "unknown-1");

        await Webhooks.WaitUntilAsync(() => rig.UploadsOf(callId).Count == 1, "the call uploaded");
        Assert.All(rig.EventsOf(callId), e => Assert.Equal("+79260000001", (string?)e["phone"]));
        var call = rig.UploadsOf(callId).Single();
        Assert.Equal("+79260000001", (string?)call["phone"]);
        Assert.Equal(
            ["code", "date", "duration", "durationWaiting", "externalId", "externalPhone", "phone", "result", "site", "type", "userId"],
            call.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Single(rig.System.Calls);
    }

    [Fact]
    public async Task Install_PostToInstallUrl_RegistersTheModuleAndAnswersWhatItSays()
    {
        await using var rig = await RetailCrmRig.StartAsync();

        using var installed = await rig.Hub.Client.PostAsync($"/connectors/{ConnectorId}/install", null);

        Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        var answer = JsonNode.Parse(await installed.Content.ReadAsStringAsync())!;
        Assert.Equal($"{PublicBaseUrl}/connectors/{ConnectorId}/events", (string?)answer["integrationModule"]!["integrations"]!["telephony"]!["makeCallUrl"]);
        Assert.Equal((string?)rig.System.Module(Code)!["clientId"], (string?)answer["integrationModule"]!["clientId"]);
        using var connector = await rig.Hub.Client.GetJsonAsync($"/api/v1/connectors/{ConnectorId}");
        Assert.True(connector.RootElement.GetProperty("installed").GetBoolean());
    }

    [Fact]
    public async Task Deliver_NoPublicBaseUrl_NothingSentAndTheDeliveryLogSaysWhy()
    {
        await using var rig = await RetailCrmRig.StartAsync(new Dictionary<string, string> { ["PbxHub:Outbound:PublicBaseUrl"] = "" });
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("nourl-1", Client, Line, "101", 1_764_000_000L));

        await rig.Hub.Client.WaitForJsonAsync(
            $"/api/v1/connectors/{ConnectorId}/deliveries",
            l => l.GetProperty("items").EnumerateArray().Any(d => d.GetProperty("attemptLog").EnumerateArray()
                .Any(a => a.Str("error")?.Contains("PbxHub:Outbound:PublicBaseUrl is not set", StringComparison.Ordinal) == true)),
            "the delivery log names the setting");
        Assert.Empty(rig.System.Requests);
    }
}
