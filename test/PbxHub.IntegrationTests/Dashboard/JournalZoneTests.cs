using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>Accounts in different zones share the journal: each time says its zone, each row its account.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JournalZoneTests(BrowserFixture browser)
{
    private static readonly Dictionary<string, string> KyivAccount = new()
    {
        ["PbxHub:Accounts:1:Id"] = "kyiv-office", ["PbxHub:Accounts:1:Provider"] = "sipuni",
        ["PbxHub:Accounts:1:Secret"] = "kyiv-secret-123", ["PbxHub:Accounts:1:TimeZone"] = "Europe/Kyiv",
    };

    [Fact]
    public async Task Journal_CallsOfAccountsInTwoZones_EachRowNamesItsAccountAndZone()
    {
        await using var session = await DashboardPage.OpenAsync(browser, settings: KyivAccount);
        var hub = session.Hub;
        var start = DashboardTraffic.Now - 3600;
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("z-moscow", "89160000011", DashboardTraffic.Line, "101", start));
        await hub.Client.SendHooksAsync("/hooks/kyiv-office/kyiv-secret-123", SipuniHooks.MissedInbound("z-kyiv", "89160000012", DashboardTraffic.Line, "101", start + 60));

        var page = session.Page;
        await page.GotoAsync("/journal");
        var moscow = page.Locator("#calls tbody tr", new() { HasText = "+79160000011" });
        var kyiv = page.Locator("#calls tbody tr", new() { HasText = "+79160000012" });

        await Expect(moscow.Locator("td.account")).ToHaveTextAsync(HubServer.AccountId);
        await Expect(kyiv.Locator("td.account")).ToHaveTextAsync("kyiv-office");
        await Expect(moscow.Locator("td").First).ToHaveTextAsync(TimeIn("Europe/Moscow", start));
        await Expect(kyiv.Locator("td").First).ToHaveTextAsync(TimeIn("Europe/Kyiv", start + 60));
        await session.ScreenshotAsync("journal-zones");
    }

    /// <summary>The wall-clock time in that zone and its offset from UTC, e.g. "03.12.2026 09:15:00 UTC+2".</summary>
    private static string TimeIn(string zoneId, long unix)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unix), TimeZoneInfo.FindSystemTimeZoneById(zoneId));
        var offset = local.Offset;
        Assert.Equal(0, offset.Minutes);
        return local.ToString("dd.MM.yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + $" UTC+{offset.Hours}";
    }
}
