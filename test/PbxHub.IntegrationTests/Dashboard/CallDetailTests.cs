using Microsoft.Playwright;
using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>The call detail page: facts, the legs on a timeline, the raw requests and normalised events behind it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CallDetailTests(BrowserFixture browser)
{
    [Fact]
    public async Task CallDetail_TwoLegsSecondAnswered_TimelineShowsBothLegsTalkOnTheSecond()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await DashboardTraffic.SeedAsync(session.Hub);
        var page = session.Page;
        await page.GotoAsync("/journal?answeredBy=102");
        await page.Locator("#calls tbody tr a").First.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Call +79161112233 → +74951234567" })).ToBeVisibleAsync();
        await Expect(page.Locator("#outcome")).ToHaveTextAsync("Answered");
        await Expect(page.Locator("#wait")).ToHaveTextAsync("0:08");
        await Expect(page.Locator("#talk")).ToHaveTextAsync("0:40");

        var legs = page.Locator("svg.timeline g.leg-row");
        await Expect(legs).ToHaveCountAsync(2);
        await Expect(page.Locator("svg.timeline g.leg-row[data-party='101'] rect.talk")).ToHaveCountAsync(0);
        await Expect(page.Locator("svg.timeline g.leg-row[data-party='102'] rect.talk")).ToHaveCountAsync(1);
        // The talk bar starts where 102 answered: 8 of the call's 48 seconds along the axis.
        var ring = await page.Locator("svg.timeline g.leg-row[data-party='102'] rect.ring").GetAttributeAsync("width");
        var talk = await page.Locator("svg.timeline g.leg-row[data-party='102'] rect.talk").GetAttributeAsync("width");
        Assert.Equal(8.0 / 40, double.Parse(ring!, System.Globalization.CultureInfo.InvariantCulture) / double.Parse(talk!, System.Globalization.CultureInfo.InvariantCulture), 2);

        await Expect(page.Locator("#raw tbody tr")).ToHaveCountAsync(6);
        await Expect(page.Locator("#raw tbody tr").First).ToContainTextAsync("event=1");
        var types = await page.Locator("#events tbody tr td:nth-child(2)").AllTextContentsAsync();
        Assert.Contains("call.started", types);
        Assert.Contains("call.answered", types);
        Assert.Contains("call.ended", types);
        await Expect(page.GetByText("No deliveries (no subscription matched).")).ToBeVisibleAsync();
        await session.ScreenshotAsync("call-detail");
    }

    [Fact]
    public async Task CallDetail_UnknownId_SaysSo()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await session.Page.GotoAsync("/calls/nope");
        await Expect(session.Page.GetByText("No such call.")).ToBeVisibleAsync();
    }
}
