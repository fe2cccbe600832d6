using Microsoft.Playwright;
using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>The live page follows the event stream in place: calls appear, change and fade out without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LivePageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Live_CallRingsIsAnsweredAndEnds_ShownWithinTwoSecondsUpdatedThenRemovedWithoutReload()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        var page = session.Page;
        await page.GotoAsync("/");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("live");
        await Expect(page.GetByText("No calls right now.")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        var start = DashboardTraffic.Now;
        var hooks = DashboardTraffic.AnsweredOnSecondLeg("live-1", "89161234567", start);
        var call = page.Locator("article.call", new() { HasText = "+79161234567" });
        await session.Hub.Client.SendHooksAsync(session.Hub.HookPath, hooks[..1]);
        await Expect(call).ToBeVisibleAsync(new() { Timeout = 2000 });
        await Expect(call).ToContainTextAsync("Ringing");
        await Expect(call.Locator(".line")).ToContainTextAsync("+74951234567");

        await session.Hub.Client.SendHooksAsync(session.Hub.HookPath, hooks[1..3]);
        await Expect(call.Locator(".leg.ringing")).ToHaveCountAsync(2, new() { Timeout = 2000 });
        await Expect(call.Locator(".clock")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^ringing 0:0[0-9]$"));
        await session.ScreenshotAsync("live");

        await session.Hub.Client.SendHooksAsync(session.Hub.HookPath, hooks[3..4]);
        await Expect(call.Locator(".leg.talking")).ToHaveTextAsync("102 talking", new() { Timeout = 2000 });
        await Expect(call.Locator(".badge")).ToHaveTextAsync("In progress");

        await session.Hub.Client.SendHooksAsync(session.Hub.HookPath, hooks[4..]);
        await Expect(call).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\bended\\b"), new() { Timeout = 2000 });
        await Expect(call).ToHaveCountAsync(0, new() { Timeout = 5000 });
        await Expect(page.GetByText("No calls right now.")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded");
    }

    [Fact]
    public async Task Live_CallAlreadyRingingWhenPageOpens_ShownFromTheServerAndTicking()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await session.Hub.Client.SendHooksAsync(session.Hub.HookPath,
            DashboardTraffic.AnsweredOnSecondLeg("live-2", "89161234500", DashboardTraffic.Now - 5)[..2]);
        var page = session.Page;
        await page.GotoAsync("/");
        var clock = page.Locator("article.call", new() { HasText = "+79161234500" }).Locator(".clock");
        var first = await clock.TextContentAsync();
        await Expect(clock).Not.ToHaveTextAsync(first!, new() { Timeout = 3000 });
        Assert.Matches("^ringing 0:(0[5-9]|1[0-9])$", await clock.TextContentAsync());
    }
}
