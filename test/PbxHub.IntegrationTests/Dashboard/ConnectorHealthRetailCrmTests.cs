using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>The set-up page shows a RetailCRM connector: registered or not, its health, its last deliveries and its employees.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConnectorHealthRetailCrmTests(BrowserFixture browser)
{
    [Fact]
    public async Task Setup_RetailCrmConnectorDelivering_ShowsHealthLastDeliveriesAndEmployees()
    {
        await using var system = await RetailCrmEmulator.StartAsync("http://127.0.0.1:0", new RetailCrmEmulatorOptions());
        await using var session = await DashboardPage.OpenAsync(browser, settings: new Dictionary<string, string>
        {
            ["PbxHub:Connectors:0:Id"] = "rc", ["PbxHub:Connectors:0:Crm"] = "retailcrm", ["PbxHub:Connectors:0:DefaultUser"] = "1",
            ["PbxHub:Connectors:0:Employees:101"] = "5",
            ["PbxHub:Connectors:0:RetailCrm:BaseUrl"] = system.BaseUrl,
            ["PbxHub:Connectors:0:RetailCrm:ApiKey"] = system.System.Options.ApiKey,
            ["PbxHub:Connectors:0:RetailCrm:Code"] = "pbxhub",
            ["PbxHub:Connectors:0:RetailCrm:SettleFor"] = "00:00:01",
            ["PbxHub:Outbound:PublicBaseUrl"] = "https://hub.example.com",
        });
        var hub = session.Hub;
        var page = session.Page;
        var card = page.Locator("section.connector[data-connector='rc']");

        await page.GotoAsync("/setup");
        await Expect(card.Locator(".installed")).ToHaveTextAsync("not installed in the CRM yet");
        await Expect(card.Locator(".employees")).ToContainTextAsync("101 → 5");

        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("dash-rc", "89160000019", DashboardTraffic.Line, "101", DashboardTraffic.Now - 60));
        await Webhooks.WaitUntilAsync(() => system.System.Calls.Count == 1, "the call uploaded to RetailCRM");
        // The hub records the upload's attempt once RetailCRM's answer is back, a moment after the stand-in has the call
        // (and an earlier event's success already set lastSuccessAt): the page is read once the log has it.
        await hub.Client.WaitForJsonAsync("/api/v1/connectors/rc/deliveries", l => l.GetProperty("items").EnumerateArray()
            .Any(d => d.Str("eventType") == "call.ended" && d.Str("state") == "delivered"), "the call's end delivered");

        await page.GotoAsync("/setup");
        await Expect(card.Locator(".installed")).ToHaveTextAsync("installed");
        await Expect(card).ToContainTextAsync(system.BaseUrl);
        await Expect(card.Locator(".badge.health")).ToHaveTextAsync("Delivering");
        await Expect(card).ToContainTextAsync("/connectors/rc/events");
        await card.Locator("details summary").ClickAsync();
        await Expect(card.Locator("td.type[title='call.ended']")).ToHaveCountAsync(1);
        await Expect(card.Locator("tr").Filter(new() { Has = page.Locator("td.type[title='call.ended']") }).Locator(".badge.delivered")).ToHaveCountAsync(1);
        await Expect(card.Locator(".employees")).ToContainTextAsync("101 → 5");
        await session.ScreenshotAsync("setup-connector-retailcrm");
    }
}
