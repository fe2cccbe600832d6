using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PbxHub.IntegrationTests.Reconciliation;
using PbxHub.Providers;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>The set-up page's reconciliation: each account's last run and its findings, and "reconcile now" (docs/reconciliation.md).</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconciliationSetupTests(BrowserFixture browser)
{
    private static Dictionary<string, string> Ledger(string historyUrl, string interval = "00:15:00") => new()
    {
        ["PbxHub:Accounts:1:Id"] = LedgerHub.Account,
        ["PbxHub:Accounts:1:Provider"] = LedgerPbx.Name,
        ["PbxHub:Accounts:1:Secret"] = LedgerHub.Secret,
        ["PbxHub:Accounts:1:" + LedgerPbx.HistoryUrlKey] = historyUrl,
        ["PbxHub:Accounts:1:History:Interval"] = interval,
    };

    [Fact]
    public async Task Setup_ReconcileNow_LastRunAndItsFindingsShown()
    {
        await using var history = await LedgerHistoryServer.StartAsync();
        // Before the window of the schedule's first run at start (the last interval and overlap): only "reconcile now" reads it.
        var start = TimeProvider.System.GetUtcNow().AddHours(-1);
        history.Add("r1", "lost1", start, start.AddSeconds(5), start.AddSeconds(65));
        await using var session = await DashboardPage.OpenAsync(
            browser, settings: Ledger(history.Url), configure: b => b.Services.AddProvider(LedgerPbx.Descriptor));
        var page = session.Page;

        await page.GotoAsync("/setup");
        var row = page.Locator("#reconciliation-runs tr[data-account='ledger']");
        await Expect(row).ToContainTextAsync("every 00:15:00");
        // The Sipuni account has a history reader but not its credentials: the page names what it lacks and offers no run.
        var demo = page.Locator("#reconciliation-runs tr[data-account='demo']");
        await Expect(demo.Locator(".last-run")).ToContainTextAsync("Sipuni:User");
        await Expect(demo.GetByRole(AriaRole.Button, new() { Name = "Reconcile now" })).ToHaveCountAsync(0);
        await row.GetByRole(AriaRole.Button, new() { Name = "Reconcile now" }).ClickAsync();

        await Expect(page.Locator("p[role='status']")).ToContainTextAsync("Reconciliation of ledger finished.");
        await Expect(row.Locator(".status .badge")).ToHaveTextAsync("succeeded");
        await Expect(row.Locator(".seen")).ToHaveTextAsync("1");
        await Expect(row.Locator(".created")).ToHaveTextAsync("1");
        await row.Locator(".status summary").ClickAsync();
        await Expect(row.Locator(".findings li[data-kind='created'] a")).ToHaveTextAsync(PbxHub.Calls.StableIds.CallId(LedgerHub.Account, "lost1"));
        await session.ScreenshotAsync("setup-reconciliation");
    }

    [Fact]
    public async Task Setup_HistoryUnavailableInRussian_FailedRunAndReasonShown()
    {
        await using var history = await LedgerHistoryServer.StartAsync();
        history.FailWith = 503;
        await using var session = await DashboardPage.OpenAsync(
            browser, language: "ru-RU", settings: Ledger(history.Url, interval: ""), configure: b => b.Services.AddProvider(LedgerPbx.Descriptor));
        var page = session.Page;

        await page.GotoAsync("/setup");
        var row = page.Locator("#reconciliation-runs tr[data-account='ledger']");
        await Expect(row.Locator(".last-run")).ToHaveTextAsync("ещё не было");
        await Expect(row).ToContainTextAsync("только вручную");
        await row.GetByRole(AriaRole.Button, new() { Name = "Сверить сейчас" }).ClickAsync();

        await Expect(row.Locator(".status .badge")).ToHaveTextAsync("не удалась");
        await Expect(row.Locator(".status")).ToContainTextAsync("history answered HTTP 503");
        await Expect(page.Locator("h2#reconciliation")).ToHaveTextAsync("Сверка с историей звонков провайдера");
    }
}
