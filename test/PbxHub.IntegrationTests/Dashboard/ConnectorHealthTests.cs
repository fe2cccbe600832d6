using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>The set-up page lists the CRM connectors: installed or not, their health, their URLs and deliveries.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConnectorHealthTests(BrowserFixture browser)
{
    [Fact]
    public async Task Setup_Bitrix24ConnectorInstalledAndDelivering_ListedWithItsHealthNotAmongSubscriptions()
    {
        await using var portal = await Bitrix24Emulator.StartAsync("http://127.0.0.1:0", new Bitrix24EmulatorOptions(), TimeProvider.System);
        await using var session = await DashboardPage.OpenAsync(browser, settings: new Dictionary<string, string>
        {
            ["PbxHub:Connectors:0:Id"] = "b24", ["PbxHub:Connectors:0:Crm"] = "bitrix24", ["PbxHub:Connectors:0:DefaultUser"] = "1",
            ["PbxHub:Connectors:0:Bitrix24:ClientId"] = portal.Portal.Options.ClientId,
            ["PbxHub:Connectors:0:Bitrix24:ClientSecret"] = portal.Portal.Options.ClientSecret,
            ["PbxHub:Connectors:0:Bitrix24:OAuthUrl"] = portal.BaseUrl,
        });
        var hub = session.Hub;
        var page = session.Page;
        var card = page.Locator("section.connector[data-connector='b24']");

        await page.GotoAsync("/setup");
        await Expect(card.Locator(".installed")).ToHaveTextAsync("not installed in the CRM yet");

        using var http = new HttpClient();
        using var installed = await portal.InstallAsync(http, $"{hub.BaseUrl.TrimEnd('/')}/connectors/b24/events");
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("dash-b24", "89160000019", DashboardTraffic.Line, "101", DashboardTraffic.Now - 60));
        await Webhooks.WaitUntilAsync(() => portal.Portal.Accepted.Any(r => r.Method == "telephony.externalCall.finish"), "the call finished in the CRM");
        await hub.Client.WaitForJsonAsync("/api/v1/connectors/b24", c => c.GetProperty("lastSuccessAt").ValueKind != System.Text.Json.JsonValueKind.Null, "a success recorded");

        await page.GotoAsync("/setup");
        await Expect(card.Locator(".installed")).ToHaveTextAsync("installed");
        await Expect(card.Locator(".badge.health")).ToHaveTextAsync("Delivering");
        await Expect(card).ToContainTextAsync("/connectors/b24/events");
        await Expect(page.Locator("section.subscription")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("setup-connector");
    }

    [Fact]
    public async Task Setup_ImportEmployeesButton_ShowsThePortalsUsersBesideTheDeclaredOnes()
    {
        var options = new Bitrix24EmulatorOptions();
        options.Users[11] = "103";
        await using var portal = await Bitrix24Emulator.StartAsync("http://127.0.0.1:0", options, TimeProvider.System);
        await using var session = await DashboardPage.OpenAsync(browser, settings: new Dictionary<string, string>
        {
            ["PbxHub:Connectors:0:Id"] = "b24", ["PbxHub:Connectors:0:Crm"] = "bitrix24", ["PbxHub:Connectors:0:DefaultUser"] = "1",
            ["PbxHub:Connectors:0:Employees:101"] = "5",
            ["PbxHub:Connectors:0:Bitrix24:ClientId"] = portal.Portal.Options.ClientId,
            ["PbxHub:Connectors:0:Bitrix24:ClientSecret"] = portal.Portal.Options.ClientSecret,
            ["PbxHub:Connectors:0:Bitrix24:OAuthUrl"] = portal.BaseUrl,
        });
        using var http = new HttpClient();
        using var installed = await portal.InstallAsync(http, $"{session.Hub.BaseUrl.TrimEnd('/')}/connectors/b24/events");
        var page = session.Page;
        var card = page.Locator("section.connector[data-connector='b24']");
        await page.GotoAsync("/setup");
        await Expect(card.Locator(".employees")).ToContainTextAsync("101 → 5");
        await Expect(card.Locator(".employees code.imported")).ToHaveCountAsync(0);

        await card.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Import employees from the CRM" }).ClickAsync();

        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Status)).ToContainTextAsync("employees imported from the CRM");
        await Expect(card.Locator(".employees code.imported").Filter(new() { HasText = "103 → 11" })).ToHaveCountAsync(1);
        await Expect(card.Locator(".employees")).ToContainTextAsync("101 → 5");
    }
}
