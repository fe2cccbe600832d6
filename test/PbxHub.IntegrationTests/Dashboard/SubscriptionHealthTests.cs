using System.Net.Http.Json;
using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>A subscription's health on the set-up page: green "Delivering" only once something was delivered.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SubscriptionHealthTests(BrowserFixture browser)
{
    [Fact]
    public async Task Setup_SubscriptionThatNeverSucceeded_ShownAsSuchNotAsDelivering()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        var hub = session.Hub;
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/subscriptions", new { url = "http://127.0.0.1:1/nobody-listens" });
        created.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var page = session.Page;
        var badge = page.Locator($"section.subscription[data-subscription='{id}'] .badge.health");

        await page.GotoAsync("/setup");
        await Expect(badge).ToHaveTextAsync("No delivery yet");
        await Expect(badge).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\banswered\b"));

        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("h1", "89160000019", DashboardTraffic.Line, "101", DashboardTraffic.Now - 60));
        await WaitForAttemptAsync(hub, id);
        await page.GotoAsync("/setup");
        await Expect(badge).ToHaveTextAsync("Never delivered");
        await Expect(badge).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bfailing\b"));
        await session.ScreenshotAsync("setup-never-delivered");
    }

    private static async Task WaitForAttemptAsync(HubServer hub, string id)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(15);
        while (true)
        {
            using var d = await hub.Client.GetJsonAsync($"/api/v1/subscriptions/{id}/deliveries");
            if (d.RootElement.GetProperty("items").EnumerateArray().Any(x => x.GetProperty("attempts").GetInt32() > 0))
            {
                return;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "no delivery attempt in 15 s");
            await Task.Delay(100);
        }
    }
}
