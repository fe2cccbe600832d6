using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>Signing in to the dashboard in a real browser, and what its cookie opens.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser)
{
    [Fact]
    public async Task SignIn_BadKeyThenGoodKey_RefusedThenCookieOpensPagesAndApi()
    {
        await using var session = await DashboardPage.OpenAsync(browser, signIn: false);
        var page = session.Page;

        await page.GotoAsync("/journal");
        Assert.EndsWith("/signin?returnUrl=%2Fjournal", page.Url, StringComparison.Ordinal);
        await session.ScreenshotAsync("signin");

        await page.Locator("input[name=key]").FillAsync("not-a-key");
        await page.Locator("form[action='/signin'] button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong API key, user name or password.");
        Assert.DoesNotContain(await session.Context.CookiesAsync(), c => c.Name == "pbxhub.dashboard");

        await page.Locator("input[name=key]").FillAsync(HubServer.ApiKey);
        await page.Locator("form[action='/signin'] button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Call journal" })).ToBeVisibleAsync();
        Assert.EndsWith("/journal", page.Url, StringComparison.Ordinal);
        var cookie = Assert.Single(await session.Context.CookiesAsync(), c => c.Name == "pbxhub.dashboard");
        Assert.True(cookie.HttpOnly);

        // The same cookie reads the API (the live page's stream uses this), without a bearer key.
        var api = await page.APIRequest.GetAsync("/api/v1/calls");
        Assert.Equal(200, api.Status);
    }

    [Fact]
    public async Task SignIn_ConfiguredUser_SignsInAndSignsOut()
    {
        await using var session = await DashboardPage.OpenAsync(browser, signIn: false, settings: new Dictionary<string, string>
        {
            ["PbxHub:Dashboard:Users:0:Name"] = "anna", ["PbxHub:Dashboard:Users:0:Password"] = "correct horse battery",
        });
        var page = session.Page;
        await page.GotoAsync("/signin");
        await page.Locator("input[name=user]").FillAsync("anna");
        await page.Locator("input[name=password]").FillAsync("wrong password");
        await page.Locator("form[action='/signin'] button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();

        await page.Locator("input[name=user]").FillAsync("anna");
        await page.Locator("input[name=password]").FillAsync("correct horse battery");
        await page.Locator("form[action='/signin'] button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Calls now" })).ToBeVisibleAsync();

        // Polls the address only, whatever the load state (the live page it leaves holds an open event stream); a
        // failure names the address the browser was left on.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"), new() { Timeout = 30_000 });
        await Expect(page.Locator("input[name=user]")).ToBeVisibleAsync();
        Assert.Equal(401, (await page.APIRequest.GetAsync("/api/v1/calls")).Status);
    }

    [Fact]
    public async Task SignIn_AfterTheAllowedFailures_EvenTheRightKeyIsRefusedUntilTheWindowEnds()
    {
        await using var session = await DashboardPage.OpenAsync(browser, signIn: false, settings: new Dictionary<string, string>
        {
            ["PbxHub:Network:RateLimits:SignInFailuresPerSource:PermitLimit"] = "2",
            ["PbxHub:Network:RateLimits:SignInFailuresPerSource:Window"] = "01:00:00",
        });
        var page = session.Page;
        async Task SignInAsync(string key)
        {
            await page.Locator("input[name=key]").FillAsync(key);
            await page.Locator("form[action='/signin'] button[type=submit]").ClickAsync();
        }

        await page.GotoAsync("/signin");
        await SignInAsync("guess-1");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong API key, user name or password.");
        await SignInAsync("guess-2");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong API key, user name or password.");

        await SignInAsync(HubServer.ApiKey);
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Too many failed sign-ins from this address. Try again in 60 min.");
        Assert.DoesNotContain(await session.Context.CookiesAsync(), c => c.Name == "pbxhub.dashboard");
        Assert.Equal(401, (await page.APIRequest.GetAsync("/api/v1/calls")).Status);
        var metrics = await (await page.APIRequest.GetAsync("/metrics")).TextAsync();
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("pbxhub_http_refused_total{", StringComparison.Ordinal)
            && l.Contains("reason=\"sign_in_failures\"", StringComparison.Ordinal) && l.Contains("surface=\"dashboard\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_FailuresBelowTheLimit_TheRightKeyStillSignsIn()
    {
        await using var session = await DashboardPage.OpenAsync(browser, signIn: false, settings: new Dictionary<string, string>
        {
            ["PbxHub:Network:RateLimits:SignInFailuresPerSource:PermitLimit"] = "2",
            ["PbxHub:Network:RateLimits:SignInFailuresPerSource:Window"] = "01:00:00",
        });
        var page = session.Page;
        await page.GotoAsync("/signin");
        await page.Locator("input[name=key]").FillAsync("guess-1");
        await page.Locator("form[action='/signin'] button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong API key, user name or password.");

        await page.Locator("input[name=key]").FillAsync(HubServer.ApiKey);
        await page.Locator("form[action='/signin'] button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Calls now" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ApiPost_WithCookieButNoAntiforgeryToken_Refused()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        var response = await session.Page.APIRequest.PostAsync("/api/v1/subscriptions", new()
        {
            DataObject = new { url = "https://example.com/hook" },
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, response.Status);
        Assert.Contains("Antiforgery token required", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiPost_FromADashboardPageWithItsAntiforgeryToken_Accepted()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await session.Page.GotoAsync("/missed");
        var status = await session.Page.EvaluateAsync<int>("""
            async () => (await fetch('/api/v1/subscriptions', {
                method: 'POST',
                headers: { 'Content-Type': 'application/json',
                           'RequestVerificationToken': document.querySelector('meta[name="request-verification-token"]').content },
                body: JSON.stringify({ url: 'https://example.com/hook' })
            })).status
            """);
        Assert.Equal(201, status);
    }

    [Fact]
    public async Task SignIn_ReturnUrlToAnotherSite_StaysOnThisSite()
    {
        await using var session = await DashboardPage.OpenAsync(browser, signIn: false);
        var page = session.Page;
        await page.GotoAsync("/signin?returnUrl=%2F%2Fexample.com%2Fphish");
        await page.Locator("input[name=key]").FillAsync(HubServer.ApiKey);
        await page.Locator("form[action='/signin'] button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Calls now" })).ToBeVisibleAsync();
        Assert.Equal(session.Hub.BaseUrl + "/", page.Url);
    }
}
