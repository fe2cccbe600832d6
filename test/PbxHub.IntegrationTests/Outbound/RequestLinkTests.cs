using Microsoft.Extensions.DependencyInjection;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Storage;

namespace PbxHub.IntegrationTests.Outbound;

/// <summary>
/// Linking a stored request to the call that resulted, at read time: same account, the client's number
/// among the call's parties, started within the link window after the request. The request rows are
/// written through the store so a provider with inbound events (Sipuni) can stand in for the call.
/// </summary>
public sealed class RequestLinkTests
{
    private const long CallStart = 1_700_000_000;

    private static CallRequestRow Request(string id, string account, long at, string status = "placed") => new(
        id, account, "sipuni", "call", "8 903 123-45-67", "+79031234567", ["101"], DateTimeOffset.FromUnixTimeSeconds(at), status, "[]", null);

    [Fact]
    public async Task ListRequests_CallWithTheClientsNumberSoonAfter_CarriesItsId()
    {
        await using var hub = await HubServer.StartAsync();
        var store = hub.Services.GetRequiredService<ICallRequestStore>();
        await store.AddAsync(Request("req_linked", HubServer.AccountId, CallStart - 20), CancellationToken.None);
        await store.AddAsync(Request("req_too_early", HubServer.AccountId, CallStart - 3600), CancellationToken.None);
        await store.AddAsync(Request("req_other_account", "elsewhere", CallStart - 20), CancellationToken.None);

        await hub.Client.SendHooksAsync(hub.HookPath, [SipuniHooks.Arrival("c-1", "89031234567", "84951234567", CallStart)]);
        using var _ = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "c-1")}");

        using var list = await hub.Client.GetJsonAsync("/api/v1/calls/requests");
        var links = list.RootElement.GetProperty("items").EnumerateArray().ToDictionary(i => i.Str("id")!, i => i.Str("callId"));
        Assert.Equal(StableIds.CallId(HubServer.AccountId, "c-1"), links["req_linked"]);
        Assert.Null(links["req_too_early"]);
        Assert.Null(links["req_other_account"]);
    }

    [Fact]
    public async Task ListRequests_RefusedRequestsBeforeTheClientsCall_OnlyTakenOrUncertainOnesLinked()
    {
        await using var hub = await HubServer.StartAsync();
        var store = hub.Services.GetRequiredService<ICallRequestStore>();
        foreach (var status in (string[])["placed", "uncertain", "failed", "invalid", "unsupported"])
        {
            await store.AddAsync(Request("req_" + status, HubServer.AccountId, CallStart - 30, status), CancellationToken.None);
        }

        await hub.Client.SendHooksAsync(hub.HookPath, [SipuniHooks.Arrival("c-1", "89031234567", "84951234567", CallStart)]);
        using var _ = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "c-1")}");

        using var list = await hub.Client.GetJsonAsync("/api/v1/calls/requests");
        var links = list.RootElement.GetProperty("items").EnumerateArray().ToDictionary(i => i.Str("id")!, i => i.Str("callId"));
        var call = StableIds.CallId(HubServer.AccountId, "c-1");
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["req_placed"] = call, ["req_uncertain"] = call, ["req_failed"] = null, ["req_invalid"] = null, ["req_unsupported"] = null,
            },
            links);
    }
}
