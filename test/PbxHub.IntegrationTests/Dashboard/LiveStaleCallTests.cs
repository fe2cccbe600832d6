using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>
/// The live page shows calls happening now: a call that started longer ago than the open-call timeout
/// (its end never came) is left out, whether it was open when the page loaded or an event of it arrives later.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveStaleCallTests(BrowserFixture browser)
{
    [Fact]
    public async Task Live_CallsStartedBeforeTheOpenCallTimeout_LeftOutAndRecentOnesCountFromTheirStart()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        var hub = session.Hub;
        var longAgo = DashboardTraffic.Now - 5 * 3600; // the default timeout is 4 h
        await hub.Client.SendHooksAsync(hub.HookPath, DashboardTraffic.AnsweredOnSecondLeg("stale-1", "89161230001", longAgo)[..2]);
        await hub.Client.SendHooksAsync(hub.HookPath, DashboardTraffic.AnsweredOnSecondLeg("fresh-1", "89161230002", DashboardTraffic.Now - 5)[..2]);

        var page = session.Page;
        await page.GotoAsync("/");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("live");
        var fresh = page.Locator("article.call", new() { HasText = "+79161230002" });
        await Expect(fresh.Locator(".clock")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^ringing 0:(0[5-9]|1[0-9])$"));
        await Expect(page.Locator("article.call", new() { HasText = "+79161230001" })).ToHaveCountAsync(0);

        // A late event of another stale call, streamed after the page loaded.
        await hub.Client.SendHooksAsync(hub.HookPath, DashboardTraffic.AnsweredOnSecondLeg("stale-2", "89161230003", longAgo)[..2]);
        await hub.Client.SendHooksAsync(hub.HookPath, DashboardTraffic.AnsweredOnSecondLeg("fresh-2", "89161230004", DashboardTraffic.Now)[..2]);
        await Expect(page.Locator("article.call", new() { HasText = "+79161230004" })).ToBeVisibleAsync();
        await Expect(page.Locator("article.call", new() { HasText = "+79161230003" })).ToHaveCountAsync(0);
        Assert.DoesNotMatch(@"ringing \d+:\d\d:\d\d", await page.Locator("#live").InnerTextAsync());
    }
}
