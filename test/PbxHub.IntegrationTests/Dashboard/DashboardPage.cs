using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>A hub and a browser tab on it, signed in or not, in a chosen language and window width.</summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    public const int PhoneWidth = 390;

    private DashboardPage(HubServer hub, IBrowserContext context, IPage page)
    {
        Hub = hub;
        Context = context;
        Page = page;
    }

    public HubServer Hub { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static async Task<DashboardPage> OpenAsync(
        BrowserFixture browser, string language = "en-GB", int width = 1280, bool signIn = true, IDictionary<string, string>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var hub = await HubServer.StartAsync(settings, configure);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = hub.BaseUrl,
            Locale = language,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = language },
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        var session = new DashboardPage(hub, context, page);
        if (signIn)
        {
            await session.SignInWithKeyAsync(HubServer.ApiKey);
        }

        return session;
    }

    public async Task SignInWithKeyAsync(string key)
    {
        await Page.GotoAsync("/signin");
        await Page.Locator("input[name=key]").FillAsync(key);
        await Page.Locator("form[action='/signin'] button[type=submit]").ClickAsync();
    }

    /// <summary>Saves a full-page screenshot as a test artifact and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(BrowserFixture.ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Console.WriteLine($"Screenshot: {path}");
        return path;
    }

    /// <summary>Whether the page is wider than its window: a phone user would have to scroll sideways.</summary>
    public Task<bool> OverflowsSidewaysAsync() =>
        Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await Hub.DisposeAsync();
    }
}
