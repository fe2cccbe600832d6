using System.Net;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;
using static PbxHub.IntegrationTests.Connectors.RetailCrm.RetailCrmRig;

namespace PbxHub.IntegrationTests.Connectors.RetailCrm;

/// <summary>A click on a number in RetailCRM (its makeCallUrl request) placed through Evrotel's stand-in, and the call told once.</summary>
public sealed class RetailCrmMakeCallTests
{
    private const string EvrotelAccount = "acme-evrotel";

    private static Dictionary<string, string> WithEvrotel(EmulatorHost evrotel) => new()
    {
        ["PbxHub:Accounts:2:Id"] = EvrotelAccount,
        ["PbxHub:Accounts:2:Provider"] = "evrotel",
        ["PbxHub:Accounts:2:Evrotel:Token"] = "G7bng65jYk8GF294",
        ["PbxHub:Accounts:2:Evrotel:BillCode"] = "20558",
        ["PbxHub:Accounts:2:Evrotel:BaseUrl"] = evrotel.BaseUrl,
        ["PbxHub:Connectors:0:Accounts"] = EvrotelAccount,
    };

    private static async Task<(RetailCrmRig Rig, HttpClient Http)> InstalledAsync(EmulatorHost evrotel)
    {
        var rig = await RetailCrmRig.StartAsync(WithEvrotel(evrotel));
        var http = new HttpClient();
        using var installed = await http.PostAsync($"{rig.Hub.BaseUrl.TrimEnd('/')}/connectors/{ConnectorId}/install", null);
        Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        return (rig, http);
    }

    [Fact]
    public async Task MakeCallUrl_UserClicksANumber_PlacedThroughTheProviderThenToldOnce()
    {
        var options = new EvrotelEmulatorOptions { TalkTime = TimeSpan.FromMilliseconds(300) };
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", options, TimeProvider.System);
        var (rig, http) = await InstalledAsync(evrotel);
        await using var _ = rig;
        using var __ = http;
        options.HubUrl = $"{rig.Hub.BaseUrl.TrimEnd('/')}/hooks/{EvrotelAccount}";

        // As RetailCRM asks: a GET of makeCallUrl (here the hub's real address) with the module's clientId and user 5's code.
        using var click = await rig.Emulator.MakeCallAsync(http, Code, 5, "0679853913", url: rig.EventsUrl);

        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        var placed = evrotel.Requests.Single(r => r.Path == "/webapp/");
        Assert.Contains("\"101\"", placed.Body, StringComparison.Ordinal);
        Assert.Contains("0679853913", placed.Body, StringComparison.Ordinal);
        await Webhooks.WaitUntilAsync(() => rig.System.Calls.Count == 1, "the clicked call uploaded");
        await rig.Hub.DispatcherIdleAsync();
        var call = rig.System.Calls.Single();
        Assert.Equal(("out", "101", 5), ((string?)call["type"], (string?)call["code"], (int)call["userId"]!));
        Assert.Equal(["out 101", "hangup 101"], rig.EventsOf((string)call["externalId"]!).Select(Short));
    }

    [Fact]
    public async Task MakeCallUrl_ForeignClientId_RefusedAndNothingPlaced()
    {
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", new EvrotelEmulatorOptions(), TimeProvider.System);
        var (rig, http) = await InstalledAsync(evrotel);
        await using var _ = rig;
        using var __ = http;

        using var click = await rig.Emulator.MakeCallAsync(http, Code, 5, "0679853913", url: rig.EventsUrl, clientId: "someone-elses-client-id");

        Assert.Equal(HttpStatusCode.Unauthorized, click.StatusCode);
        Assert.DoesNotContain(evrotel.Requests, r => r.Path == "/webapp/");
    }

    [Fact]
    public async Task MakeCallUrl_UserWithoutCode_RefusedNamingTheUserAndNothingPlaced()
    {
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", new EvrotelEmulatorOptions(), TimeProvider.System);
        var (rig, http) = await InstalledAsync(evrotel);
        await using var _ = rig;
        using var __ = http;

        using var click = await rig.Emulator.MakeCallAsync(http, Code, 1, "0679853913", url: rig.EventsUrl);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, click.StatusCode);
        Assert.Contains("RetailCRM user 1 has no additional code", await click.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(evrotel.Requests, r => r.Path == "/webapp/");
    }
}
