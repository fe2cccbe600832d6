using System.Net;
using System.Text;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Outbound;

/// <summary>
/// A click-to-call through the hub, the Evrotel stand-in's events back to the hub's hook, and the
/// request linked to the resulting call. Needs the <c>evrotel</c> inbound adapter (another branch).
/// </summary>
public sealed class EvrotelRoundTripTests
{
    [Theory]
    [InlineData("Europe/Kyiv")]
    [InlineData(null)] // An account added without a zone reads Evrotel's wall clock as Kyiv's too.
    public async Task PlaceCall_EvrotelSendsTheCallsEvents_RequestIsLinkedToTheResultingCall(string? accountZone)
    {
        var options = new EvrotelEmulatorOptions { Token = OutboundHub.EvrotelToken, BillCode = "20558", TalkTime = TimeSpan.FromMilliseconds(300) };
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", options, TimeProvider.System);
        await using var hub = await OutboundHub.StartAsync(null, evrotel, evrotelTimeZone: accountZone);
        options.HubUrl = $"{hub.BaseUrl.TrimEnd('/')}/hooks/{OutboundHub.EvrotelAccount}";

        using var response = await hub.Client.PostAsync("/api/v1/calls", new StringContent(
            $$$"""{"account": "{{{OutboundHub.EvrotelAccount}}}", "operator": "101", "client": "0679853913"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        string? callId = null;
        for (var i = 0; i < 100 && callId is null; i++)
        {
            await Task.Delay(100);
            using var list = await hub.Client.GetJsonAsync($"/api/v1/calls/requests?account={OutboundHub.EvrotelAccount}");
            callId = list.RootElement.GetProperty("items")[0].Str("callId");
        }

        Assert.NotNull(callId);
        using var call = await hub.Client.GetJsonAsync($"/api/v1/calls/{callId}");
        Assert.Equal(OutboundHub.EvrotelAccount, call.RootElement.Str("account"));
        Assert.Contains("+380679853913", call.RootElement.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaceCall_RefusedThenPlacedForTheSameClient_OnlyThePlacedRequestIsLinked()
    {
        var options = new EvrotelEmulatorOptions { Token = OutboundHub.EvrotelToken, BillCode = "other-bill-code", TalkTime = TimeSpan.FromMilliseconds(300) };
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", options, TimeProvider.System);
        await using var hub = await OutboundHub.StartAsync(null, evrotel);
        options.HubUrl = $"{hub.BaseUrl.TrimEnd('/')}/hooks/{OutboundHub.EvrotelAccount}";
        var body = $$$"""{"account": "{{{OutboundHub.EvrotelAccount}}}", "operator": "101", "client": "0679853913"}""";

        // Evrotel refuses the bill code it does not know: no call comes of this request.
        using var refused = await hub.Client.PostAsync("/api/v1/calls", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        options.BillCode = "20558";
        using var placed = await hub.Client.PostAsync("/api/v1/calls", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);

        var links = new Dictionary<string, string?>();
        for (var i = 0; i < 100 && links.GetValueOrDefault("placed") is null; i++)
        {
            await Task.Delay(100);
            using var list = await hub.Client.GetJsonAsync($"/api/v1/calls/requests?account={OutboundHub.EvrotelAccount}");
            links = list.RootElement.GetProperty("items").EnumerateArray().ToDictionary(r => r.Str("status")!, r => r.Str("callId"));
        }

        Assert.NotNull(links["placed"]);
        Assert.Null(links["failed"]);
    }
}
