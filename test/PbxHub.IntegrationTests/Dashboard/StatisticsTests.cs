using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>The statistics page: totals, SVG charts and the per-employee table over the chosen period.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StatisticsTests(BrowserFixture browser)
{
    [Fact]
    public async Task Stats_DefaultPeriodWithThreeCalls_TotalsChartsAndEmployees()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await DashboardTraffic.SeedAsync(session.Hub);
        var page = session.Page;
        await page.GotoAsync("/stats");

        var totals = page.Locator("#totals");
        await Expect(totals.Locator("div", new() { HasText = "Calls" }).Locator("dd")).ToHaveTextAsync("3");
        await Expect(page.Locator("#answer-rate")).ToHaveTextAsync("67%");
        var dayBars = await page.Locator("#per-day g.bar-group").EvaluateAllAsync<double[]>("gs => gs.map(g => +g.dataset.value)");
        Assert.Equal(3, dayBars.Sum());
        await Expect(page.Locator("#per-hour g.bar-group")).ToHaveCountAsync(24);
        var waitBars = await page.Locator("#waits g.bar-group").EvaluateAllAsync<double[]>("gs => gs.map(g => +g.dataset.value)");
        Assert.Equal([0, 2, 1, 0, 0, 0], waitBars); // waits 8 s (answered) and 10 s (outbound) in 5–15 s, 20 s (missed) in 15–30 s
        var employees = page.Locator("#employees tbody tr");
        await Expect(employees.Filter(new() { HasText = "102" })).ToContainTextAsync("0:40");
        await session.ScreenshotAsync("stats");

        await page.GetByLabel("From").FillAsync("2020-01-01");
        await page.GetByLabel("To").FillAsync("2020-01-02");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.GetByText("No calls in this period.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Stats_OutboundAndParallelRinging_EmployeesTableHasEmployeesOnlyByDirection()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await DashboardTraffic.SeedAsync(session.Hub);
        var page = session.Page;
        await page.GotoAsync("/stats");

        var employees = page.Locator("#employees tbody tr");
        await Expect(employees).ToHaveCountAsync(2);
        Assert.Equal(["101", "102"], await employees.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.employee)"));
        var e101 = page.Locator("#employees tr[data-employee='101']");
        await Expect(e101.Locator("td.inbound")).ToHaveTextAsync("0 / 2");
        await Expect(e101.Locator("td.outbound")).ToHaveTextAsync("1 / 1");
        await Expect(e101).ToContainTextAsync("1:00"); // the outbound call's talk
        await Expect(page.Locator("#employees tr[data-employee='102'] td.inbound")).ToHaveTextAsync("1 / 1");
        await Expect(page.GetByText("Times in Europe/Moscow.")).ToBeVisibleAsync();
    }
}
