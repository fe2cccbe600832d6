using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>The set-up page: hook URLs to copy, when each account last heard from its provider, quarantine, delivery health and resend.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SetupTests(BrowserFixture browser)
{
    private static readonly Dictionary<string, string> TwoAccounts = new()
    {
        ["PbxHub:Accounts:1:Id"] = "quiet", ["PbxHub:Accounts:1:Provider"] = "sipuni", ["PbxHub:Accounts:1:Secret"] = "quiet-secret-123",
    };

    [Fact]
    public async Task Setup_AccountsWithTrafficAndQuarantine_HookUrlCopiedLastEventAndReasonShown()
    {
        await using var session = await DashboardPage.OpenAsync(browser, settings: TwoAccounts);
        await session.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var hub = session.Hub;
        await DashboardTraffic.SeedAsync(hub);
        using (await hub.Client.SendHookAsync(hub.HookPath, SipuniHooks.Encode(("event", "9"), ("call_id", "q1"))))
        {
            // Answered as quarantined (docs/quarantine.md); what matters here is that the page shows it.
        }

        var page = session.Page;
        await page.GotoAsync("/setup");
        var demo = page.Locator("#account-table tr[data-account='demo']");
        var hookUrl = $"{hub.BaseUrl}/hooks/demo/{HubServer.Secret}";
        await Expect(demo.Locator("code")).ToHaveTextAsync(hookUrl);
        await demo.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(demo.GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        Assert.Equal(hookUrl, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        await Expect(demo.Locator(".last-event")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d UTC\+3$"));
        await Expect(page.Locator("#account-table tr[data-account='quiet'] .last-event")).ToHaveTextAsync("never");
        await Expect(demo.Locator(".quarantined")).ToContainTextAsync("1");
        await demo.Locator(".quarantined summary").ClickAsync();
        await Expect(demo.Locator(".quarantined pre")).ToContainTextAsync("event=9");
        await session.ScreenshotAsync("setup");
    }

    [Fact]
    public async Task Setup_AccountWhoseRequestsAreAllQuarantined_LastEventNeverAndCountShown()
    {
        await using var session = await DashboardPage.OpenAsync(browser, settings: TwoAccounts);
        var hub = session.Hub;
        await DashboardTraffic.SeedAsync(hub);
        foreach (var fields in (string[])[SipuniHooks.Encode(("event", "9"), ("call_id", "q1")), SipuniHooks.Encode(("event", "1"))])
        {
            using var response = await hub.Client.SendHookAsync("/hooks/quiet/quiet-secret-123", fields);
            await HttpJson.AssertQuarantinedAnswerAsync(response, fields);
        }

        var page = session.Page;
        await page.GotoAsync("/setup");
        var quiet = page.Locator("#account-table tr[data-account='quiet']");
        // Nothing of this account got through: a recent time here would hide that from whoever checks the set-up.
        await Expect(quiet.Locator(".last-event")).ToHaveTextAsync("never");
        await Expect(quiet.Locator(".quarantined")).ToContainTextAsync("2");
        await Expect(page.Locator("#account-table tr[data-account='demo'] .last-event"))
            .ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d UTC\+3$"));
    }

    [Fact]
    public async Task Setup_SubscriptionFailing_HealthShownAndResendQueuesAgain()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        var hub = session.Hub;
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/subscriptions", new { url = "http://127.0.0.1:1/nobody-listens", description = "CRM" });
        created.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("s1", "89160000009", DashboardTraffic.Line, "101", DashboardTraffic.Now - 60));
        await WaitUntilAsync(async () =>
        {
            using var d = await hub.Client.GetJsonAsync($"/api/v1/subscriptions/{id}/deliveries");
            return d.RootElement.GetProperty("items").EnumerateArray().Any(x => x.GetProperty("attempts").GetInt32() > 0);
        });

        var page = session.Page;
        await page.GotoAsync("/setup");
        var subscription = page.Locator($"section.subscription[data-subscription='{id}']");
        await Expect(subscription).ToContainTextAsync("http://127.0.0.1:1/nobody-listens");
        await Expect(subscription).ToContainTextAsync("Failing since");
        var firstRow = subscription.Locator("table.deliveries tbody tr").First;
        await Expect(firstRow).ToBeVisibleAsync();
        await session.ScreenshotAsync("setup-subscriptions");
        await firstRow.GetByRole(AriaRole.Button, new() { Name = "Resend" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Delivery queued again.");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(15);
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "condition not met in 15 s");
            await Task.Delay(100);
        }
    }
}
