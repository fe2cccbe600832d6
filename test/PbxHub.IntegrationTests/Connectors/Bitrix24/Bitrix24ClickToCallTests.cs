using System.Net;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;
using static PbxHub.IntegrationTests.Connectors.Bitrix24.Bitrix24Rig;

namespace PbxHub.IntegrationTests.Connectors.Bitrix24;

/// <summary>A click on a number in Bitrix24 placed through Evrotel's stand-in, and the call finished on the portal's own CALL_ID.</summary>
public sealed class Bitrix24ClickToCallTests
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

    [Fact]
    public async Task Click_OnExternalCallStart_PlacedThroughTheProviderAndFinishedOnTheSameCallId()
    {
        var options = new EvrotelEmulatorOptions { TalkTime = TimeSpan.FromMilliseconds(300) };
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", options, TimeProvider.System);
        await using var rig = await Bitrix24Rig.StartAsync(settings: WithEvrotel(evrotel));
        options.HubUrl = $"{rig.Hub.BaseUrl.TrimEnd('/')}/hooks/{EvrotelAccount}";
        using var http = new HttpClient();

        using var click = await rig.Emulator.ClickAsync(http, rig.EventsUrl, 5, "0679853913");

        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        var clicked = rig.Portal.Calls.Single().CallId;
        var placed = evrotel.Requests.Single(r => r.Path == "/webapp/");
        Assert.Contains("\"101\"", placed.Body, StringComparison.Ordinal);
        Assert.Contains("0679853913", placed.Body, StringComparison.Ordinal);
        await Webhooks.WaitUntilAsync(() => rig.Portal.Accepted.Any(r => Short(r) == "finish"), "the clicked call finished");
        var finish = rig.Portal.Accepted.Single(r => Short(r) == "finish");
        Assert.Equal(clicked, (string?)P(finish, "CALL_ID"));
        Assert.Equal(5, (int)P(finish, "USER_ID")!);
        Assert.DoesNotContain(rig.Portal.Accepted, r => Short(r) == "register");
        Assert.Single(rig.Portal.Calls);
    }

    [Fact]
    public async Task Click_UserNotMapped_RefusedAndNothingPlaced()
    {
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", new EvrotelEmulatorOptions(), TimeProvider.System);
        await using var rig = await Bitrix24Rig.StartAsync(settings: WithEvrotel(evrotel));
        using var http = new HttpClient();

        using var click = await rig.Emulator.ClickAsync(http, rig.EventsUrl, 42, "0679853913");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, click.StatusCode);
        Assert.Contains("user 42 is not mapped", await click.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(evrotel.Requests, r => r.Path == "/webapp/");
    }

    [Fact]
    public async Task Callback_OnExternalCallBackStart_DefaultUserRungThenRegisteredAsACallbackWithTheFormsLead()
    {
        var options = new EvrotelEmulatorOptions { TalkTime = TimeSpan.FromMilliseconds(300) };
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", options, TimeProvider.System);
        var settings = WithEvrotel(evrotel);
        settings["PbxHub:Connectors:0:Employees:100"] = "1"; // the default user's extension
        await using var rig = await Bitrix24Rig.StartAsync(settings: settings);
        options.HubUrl = $"{rig.Hub.BaseUrl.TrimEnd('/')}/hooks/{EvrotelAccount}";
        using var http = new HttpClient();

        using var callback = await rig.Emulator.CallbackAsync(http, rig.EventsUrl, "0679853913");

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        var placed = evrotel.Requests.Single(r => r.Path == "/webapp/");
        Assert.Contains("\"100\"", placed.Body, StringComparison.Ordinal);
        Assert.Contains("0679853913", placed.Body, StringComparison.Ordinal);
        await Webhooks.WaitUntilAsync(() => rig.Portal.Accepted.Any(r => Short(r) == "finish"), "the callback finished");
        var register = rig.Portal.Accepted.Single(r => Short(r) == "register");
        Assert.Equal(4, (int)P(register, "TYPE")!);
        Assert.Equal("LEAD", (string?)P(register, "CRM_ENTITY_TYPE"));
        Assert.Equal("4242", (string?)P(register, "CRM_ENTITY_ID"));
        Assert.Equal(1, (int)P(register, "USER_ID")!);
        Assert.Equal(4, rig.Portal.Calls.Single().Type);
    }

    [Fact]
    public async Task Callback_DefaultUserWithoutExtension_RefusedNamingTheSettingAndNothingPlaced()
    {
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", new EvrotelEmulatorOptions(), TimeProvider.System);
        await using var rig = await Bitrix24Rig.StartAsync(settings: WithEvrotel(evrotel));
        using var http = new HttpClient();

        using var callback = await rig.Emulator.CallbackAsync(http, rig.EventsUrl, "0679853913");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, callback.StatusCode);
        Assert.Contains("DefaultUser 1 is not mapped to an extension", await callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(evrotel.Requests, r => r.Path == "/webapp/");
    }
}
