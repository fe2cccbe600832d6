using Microsoft.Playwright;
using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>Every page at a phone's width: nothing wider than the screen, every page's heading there; screenshots kept.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneWidthTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("en-GB")]
    [InlineData("ru-RU")]
    public async Task EveryPage_PhoneWidth_FitsTheScreen(string language)
    {
        await using var session = await DashboardPage.OpenAsync(browser, language, DashboardPage.PhoneWidth);
        await DashboardTraffic.SeedAsync(session.Hub);
        await session.Hub.Client.SendHooksAsync(session.Hub.HookPath,
            DashboardTraffic.AnsweredOnSecondLeg("phone-live", "89161230000", DashboardTraffic.Now - 3)[..4]);
        var page = session.Page;
        var callId = await page.EvaluateAsync<string>(
            "async () => (await (await fetch('/api/v1/calls?number=89161112233')).json()).items[0].id");
        var pages = new[] { ("live", "/"), ("journal", "/journal"), ("call", $"/calls/{callId}"), ("missed", "/missed"), ("stats", "/stats"), ("setup", "/setup") };
        var failures = new List<string>();
        foreach (var (name, path) in pages)
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            await session.ScreenshotAsync($"phone-{name}-{language[..2]}");
            if (await session.OverflowsSidewaysAsync())
            {
                var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                failures.Add($"{path} is {width}px wide at {DashboardPage.PhoneWidth}px");
            }
        }

        await page.Context.ClearCookiesAsync();
        await page.GotoAsync("/signin");
        await session.ScreenshotAsync($"phone-signin-{language[..2]}");
        if (await session.OverflowsSidewaysAsync())
        {
            failures.Add("/signin overflows");
        }

        Assert.Empty(failures);
    }
}
