using System.Net;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;
using static PbxHub.IntegrationTests.Connectors.AmoCrm.AmoCrmRig;

namespace PbxHub.IntegrationTests.Connectors.AmoCrm;

/// <summary>The telephony widget's click in amoCRM placed through Evrotel's stand-in, and the resulting call added once.</summary>
public sealed class AmoCrmClickToCallTests
{
    private const string EvrotelAccount = "acme-evrotel";
    private const string Clicked = "0679853913";

    private static Dictionary<string, string> WithEvrotel(EmulatorHost evrotel) => new()
    {
        ["PbxHub:Accounts:2:Id"] = EvrotelAccount,
        ["PbxHub:Accounts:2:Provider"] = "evrotel",
        ["PbxHub:Accounts:2:Evrotel:Token"] = "G7bng65jYk8GF294",
        ["PbxHub:Accounts:2:Evrotel:BillCode"] = "20558",
        ["PbxHub:Accounts:2:Evrotel:BaseUrl"] = evrotel.BaseUrl,
        ["PbxHub:Connectors:0:Accounts"] = EvrotelAccount,
    };

    [Fact]
    public async Task Click_WidgetWithDisposableToken_PlacedThroughTheProviderAndTheCallAddedOnce()
    {
        var options = new EvrotelEmulatorOptions { TalkTime = TimeSpan.FromMilliseconds(300) };
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", options, TimeProvider.System);
        var account = new AmoCrmEmulatorOptions();
        account.Contacts.Add("+380" + Clicked[1..]);
        await using var rig = await AmoCrmRig.StartAsync(oauth: true, settings: WithEvrotel(evrotel), account: account);
        options.HubUrl = $"{rig.Hub.BaseUrl.TrimEnd('/')}/hooks/{EvrotelAccount}";
        using var http = new HttpClient();

        using var click = await rig.Emulator.ClickAsync(http, rig.EventsUrl, Anna, Clicked);

        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        var placed = evrotel.Requests.Single(r => r.Path == "/webapp/");
        Assert.Contains("\"101\"", placed.Body, StringComparison.Ordinal);
        Assert.Contains(Clicked, placed.Body, StringComparison.Ordinal);
        await Webhooks.WaitUntilAsync(() => rig.Account.Calls.Count == 1, "the clicked call added");
        await rig.Hub.DispatcherIdleAsync();
        var call = Assert.Single(rig.Account.Calls);
        Assert.Equal("outbound", (string?)call.Body["direction"]);
        Assert.Equal(Anna, call.ResponsibleUserId);
        Assert.Contains("click-to-call from amoCRM", (string?)call.Body["call_result"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Click_TokenNotSignedWithTheIntegrationsSecret_RefusedAndNothingPlaced()
    {
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", new EvrotelEmulatorOptions(), TimeProvider.System);
        await using var rig = await AmoCrmRig.StartAsync(oauth: true, settings: WithEvrotel(evrotel));
        using var http = new HttpClient();

        using var forged = await rig.Emulator.ClickAsync(http, rig.EventsUrl, Anna, Clicked, secret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("signature", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(evrotel.Requests, r => r.Path == "/webapp/");
    }

    [Fact]
    public async Task Click_UserNotMapped_RefusedAndNothingPlaced()
    {
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", new EvrotelEmulatorOptions(), TimeProvider.System);
        await using var rig = await AmoCrmRig.StartAsync(oauth: true, settings: WithEvrotel(evrotel));
        using var http = new HttpClient();

        using var click = await rig.Emulator.ClickAsync(http, rig.EventsUrl, Admin, Clicked);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, click.StatusCode);
        Assert.Contains("amoCRM user 504141 is not mapped", await click.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(evrotel.Requests, r => r.Path == "/webapp/");
    }
}
