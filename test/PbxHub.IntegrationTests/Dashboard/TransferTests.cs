using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>Sipuni's transferred call ("Прямой вызов с переводом", docs/call-record.md) moved to now: the transfer live and on the timeline.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class TransferTests(BrowserFixture browser)
{
    private const long ExampleStart = 1378296000;

    /// <summary>The example's seven requests with every time shifted by the same amount, so it happens now.</summary>
    private static string[] ExampleNow(long start) => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sipuni-transfer-example.txt"))
        .Where(line => line.Length > 0)
        .Select(line => line[(line.IndexOf('?', StringComparison.Ordinal) + 1)..])
        .Select(q => Timestamp().Replace(q, m => m.Groups[1].Value + "=" +
            (long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) - ExampleStart + start).ToString(CultureInfo.InvariantCulture)))
        .ToArray();

    [GeneratedRegex("(timestamp|call_start_timestamp|call_answer_timestamp)=([0-9]{10})")]
    private static partial Regex Timestamp();

    [Fact]
    public async Task Transfer_FromFirstToSecondEmployee_ShownLiveThenOnTheTimeline()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        var page = session.Page;
        await page.GotoAsync("/");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("live");
        var hooks = ExampleNow(DashboardTraffic.Now - 30);

        await session.Hub.Client.SendHooksAsync(session.Hub.HookPath, hooks[..5]);
        var call = page.Locator("article.call", new() { HasText = "+78955555555" });
        await Expect(call.Locator(".transfers")).ToHaveTextAsync("Transfers: 101 → 102", new() { Timeout = 2000 });
        await Expect(call.Locator(".leg", new() { HasText = "102" })).ToHaveCountAsync(1);
        await session.ScreenshotAsync("live-transfer");

        await session.Hub.Client.SendHooksAsync(session.Hub.HookPath, hooks[5..]);
        await Expect(call).ToHaveCountAsync(0, new() { Timeout = 5000 });

        await page.GotoAsync("/journal");
        await page.Locator("#calls tbody tr a").First.ClickAsync();
        await Expect(page.Locator("svg.timeline line.transfer")).ToHaveCountAsync(1);
        await Expect(page.Locator("svg.timeline line.transfer title")).ToHaveTextAsync("transfer: 101 → 102");
        await Expect(page.Locator("#recording-link")).ToContainTextAsync("ftp://myhost.info/account/frecords/354435435436.wav");
        await Expect(page.Locator("audio")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Stats_TransferredCall_EmployeeWhoTookItShownAnsweredWithTheirTalk()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await session.Hub.Client.SendHooksAsync(session.Hub.HookPath, ExampleNow(DashboardTraffic.Now - 3600));
        var page = session.Page;

        await page.GotoAsync("/stats");

        // 101 answered and talked 30 s before handing the call to 102, who answered in turn and talked 20 s to the end.
        var e101 = page.Locator("#employees tr[data-employee='101']");
        var e102 = page.Locator("#employees tr[data-employee='102']");
        await Expect(e101.Locator("td.inbound")).ToHaveTextAsync("1 / 1");
        await Expect(e101).ToContainTextAsync("0:30");
        await Expect(e102.Locator("td.inbound")).ToHaveTextAsync("1 / 1");
        await Expect(e102).ToContainTextAsync("0:20");
    }
}
