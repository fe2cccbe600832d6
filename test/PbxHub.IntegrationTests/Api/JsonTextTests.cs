using System.Net;
using System.Net.Http.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Outbound;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Api;

/// <summary>The same text reads the same in every JSON the hub writes (docs/json.md).</summary>
public sealed class JsonTextTests
{
    [Fact]
    public async Task CallJson_NumberWithPlus_WrittenAsIsInTheJournalAndTheStream()
    {
        await using var hub = await HubServer.StartAsync();
        await using var stream = await SseClient.ConnectAsync(hub.Client, "/api/v1/stream");
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("js-1", "89161234567", "74951234567", "101", 1_700_000_000));

        var journal = await hub.Client.GetStringAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "js-1")}");
        var events = await stream.TakeAsync(1, TimeSpan.FromSeconds(15));

        Assert.Contains("\"+79161234567\"", journal, StringComparison.Ordinal);
        Assert.Contains("\"+79161234567\"", events[0].Data, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", events[0].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaceCall_ClientWithPlus_AnswerWritesItAsIs()
    {
        await using var uis = await UisEmulator.StartAsync("http://127.0.0.1:0",
            new UisEmulatorOptions { Login = "bbb", Password = "bbb", ServiceNumbers = ["74993720692"] }, TimeProvider.System);
        await using var hub = await OutboundHub.StartAsync(uis, null);

        using var response = await hub.Client.PostAsJsonAsync("/api/v1/calls", new { account = OutboundHub.UisAccount, @operator = "89164572521", client = "+7 495 989-16-28" });
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains("\"client\":\"+7 495 989-16-28\"", text, StringComparison.Ordinal);
    }
}
