using Microsoft.Playwright;
using PbxHub.IntegrationTests.Dashboard;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Api;

/// <summary>The API reference page (docs/api.md) in a real browser that may reach nothing but the hub.</summary>
public sealed class ApiReferencePageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ApiReference_OpenedOffline_RendersTheDocumentFromTheHubAlone()
    {
        await using var hub = await HubServer.StartAsync();
        await using var context = await browser.Browser.NewContextAsync();
        var elsewhere = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(hub.BaseUrl, StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                elsewhere.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync(hub.BaseUrl + "/api/reference/");
        await page.WaitForFunctionAsync(
            "() => ['PbxHub', 'OpenAPI 3.1', 'Webhooks', 'Subscriptions', '/api/v1/accounts'].every(t => document.body.innerText.includes(t))",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "api-reference.png") });

        Assert.Empty(elsewhere);
    }
}
