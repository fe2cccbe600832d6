using Microsoft.Playwright;
using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>The journal's filters, paging and CSV export of the current filter, in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JournalTests(BrowserFixture browser)
{
    [Fact]
    public async Task Journal_FilteredByOutcomeThenEmployee_ShowsOnlyMatchingCalls()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await DashboardTraffic.SeedAsync(session.Hub);
        var page = session.Page;
        await page.GotoAsync("/journal");
        var rows = page.Locator("#calls tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await session.ScreenshotAsync("journal");

        await page.GetByLabel("Outcome").SelectOptionAsync("missed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("+79165554433");
        await Expect(rows).ToContainTextAsync("Missed");
        Assert.Contains("outcome=missed", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("Outcome").SelectOptionAsync("");
        await page.GetByLabel("Employee").FillAsync("102");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("+79161112233");

        await page.GetByLabel("Employee").FillAsync("");
        await page.GetByLabel("Direction").SelectOptionAsync("outbound");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("+79037778899");

        await page.GetByLabel("Direction").SelectOptionAsync("");
        await page.GetByLabel("Number").FillAsync("8 916 555-44-33");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("+79165554433");
    }

    [Fact]
    public async Task Journal_PeriodOfAnotherDay_ShowsNoCalls()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await DashboardTraffic.SeedAsync(session.Hub);
        var page = session.Page;
        await page.GotoAsync("/journal?since=2020-01-01&until=2020-01-31");
        await Expect(page.GetByText("No calls match.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("From")).ToHaveValueAsync("2020-01-01");
    }

    [Fact]
    public async Task Journal_Paging_NextPageThenFirstPageCoverEveryCallOnce()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await DashboardTraffic.SeedAsync(session.Hub);
        var page = session.Page;
        await page.GotoAsync("/journal?limit=2");
        var rows = page.Locator("#calls tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var firstPage = await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.callId)");
        await page.GetByRole(AriaRole.Link, new() { Name = "Next page »" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        var secondPage = await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.callId)");
        Assert.Equal(3, firstPage.Concat(secondPage).Distinct().Count());
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Next page »" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "« First page" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Journal_ExportCsv_DownloadsTheCurrentFilterOnly()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await DashboardTraffic.SeedAsync(session.Hub);
        var page = session.Page;
        var today = TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(3)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GotoAsync($"/journal?direction=inbound&since={today}&until={today}");
        await Expect(page.Locator("#calls tbody tr")).ToHaveCountAsync(2);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export this filter to CSV" }).ClickAsync());
        var path = Path.Combine(BrowserFixture.ScreenshotFolder, "journal-inbound.csv");
        await download.SaveAsAsync(path);
        var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList();
        Assert.Equal(3, lines.Count); // header and the two inbound calls
        Assert.Contains(lines, l => l.Contains("+79161112233", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("+79165554433", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("+79037778899", StringComparison.Ordinal));

        // The same bytes the API gives for the same filter with the day read in Moscow time, ready for an English spreadsheet.
        var since = Uri.EscapeDataString($"{today}T00:00:00+03:00");
        var until = Uri.EscapeDataString($"{DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture).AddDays(1):yyyy-MM-dd}T00:00:00+03:00");
        var api = await session.Hub.Client.GetStringAsync($"/api/v1/calls.csv?direction=inbound&since={since}&until={until}&delimiter=comma&numbers=text");
        Assert.Equal(api, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Journal_ExportCsvFromRussianPage_SemicolonsAndNumbersKeptAsText()
    {
        await using var session = await DashboardPage.OpenAsync(browser, language: "ru-RU");
        await DashboardTraffic.SeedAsync(session.Hub);
        var page = session.Page;
        await page.GotoAsync("/journal?outcome=missed");
        await Expect(page.Locator("#calls tbody tr")).ToHaveCountAsync(1);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Выгрузить этот отбор в CSV" }).ClickAsync());
        var path = Path.Combine(BrowserFixture.ScreenshotFolder, "journal-missed-ru.csv");
        await download.SaveAsAsync(path);

        // What Excel in a Russian locale needs to open it by a double click: ';' between fields, and the caller's number
        // as a text formula, so the cell shows +79165554433 and 89165554433 rather than 79165554433 and 89165554433 as numbers.
        var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("id;account;provider;providerCallId;direction;", lines[0], StringComparison.Ordinal);
        Assert.Contains(";\"=\"\"89165554433\"\"\";\"=\"\"+79165554433\"\"\";", lines[1], StringComparison.Ordinal);
        Assert.Contains(";Europe/Moscow;", lines[1], StringComparison.Ordinal);
    }
}
