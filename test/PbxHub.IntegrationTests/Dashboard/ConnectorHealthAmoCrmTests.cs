using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>The set-up page shows the amoCRM connector: installed through OAuth or not, its health, its last deliveries and its employees.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConnectorHealthAmoCrmTests(BrowserFixture browser)
{
    [Fact]
    public async Task Setup_AmoCrmConnectorInstalledAndDelivering_HealthLastDeliveriesAndEmployees()
    {
        await using var account = await AmoCrmEmulator.StartAsync("http://127.0.0.1:0", new AmoCrmEmulatorOptions(), TimeProvider.System);
        await using var session = await DashboardPage.OpenAsync(browser, settings: new Dictionary<string, string>
        {
            ["PbxHub:Connectors:0:Id"] = "amo", ["PbxHub:Connectors:0:Crm"] = "amocrm", ["PbxHub:Connectors:0:DefaultUser"] = "504141",
            ["PbxHub:Connectors:0:Employees:101"] = "504142",
            ["PbxHub:Connectors:0:AmoCrm:BaseUrl"] = account.BaseUrl,
            ["PbxHub:Connectors:0:AmoCrm:ClientId"] = account.Account.Options.ClientId,
            ["PbxHub:Connectors:0:AmoCrm:ClientSecret"] = account.Account.Options.ClientSecret,
            ["PbxHub:Connectors:0:AmoCrm:SettleFor"] = "00:00:01",
        });
        var hub = session.Hub;
        var page = session.Page;
        var card = page.Locator("section.connector[data-connector='amo']");

        await page.GotoAsync("/setup");
        await Expect(card.Locator(".installed")).ToHaveTextAsync("not installed in the CRM yet");
        await Expect(card).ToContainTextAsync("/connectors/amo/install");

        using var http = new HttpClient();
        using var installed = await account.InstallAsync(http, $"{hub.BaseUrl.TrimEnd('/')}/connectors/amo/install");
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("dash-amo", "89161234567", DashboardTraffic.Line, "101", DashboardTraffic.Now - 60));
        await Webhooks.WaitUntilAsync(() => account.Account.Calls.Count == 1, "the call added in amoCRM");
        await hub.Client.WaitForJsonAsync("/api/v1/connectors/amo", c => c.GetProperty("lastSuccessAt").ValueKind != System.Text.Json.JsonValueKind.Null, "a success recorded");
        await hub.DispatcherIdleAsync();

        await page.GotoAsync("/setup");
        await Expect(card.Locator(".installed")).ToHaveTextAsync("installed");
        await Expect(card).ToContainTextAsync(new Uri(account.BaseUrl).Authority);
        await Expect(card.Locator(".badge.health")).ToHaveTextAsync("Delivering");
        await Expect(card.Locator(".employees")).ToContainTextAsync("101 → 504142");
        await Expect(card.Locator("tr:has(td.type[title='call.ended']) .badge.delivered")).ToHaveCountAsync(1);
        await Expect(page.Locator("section.subscription")).ToHaveCountAsync(0);

        // amoCRM keeps no extensions: the import says so instead of mapping anyone.
        await card.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Import employees from the CRM" }).ClickAsync();
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Status)).ToContainTextAsync("amoCRM keeps no extensions");
        await session.ScreenshotAsync("setup-connector-amocrm");
    }
}
