using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using PbxHub.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>What another site can do to a dashboard user: frame its pages, sign them out, bounce them through a link.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardSecurityTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("/journal")]
    [InlineData("/setup")]
    [InlineData("/missed")]
    public async Task Page_SignedIn_ForbidsFramingByOtherSites(string path)
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        var response = await session.Page.GotoAsync(path);
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        var headers = await response.AllHeadersAsync();
        Assert.Equal("DENY", headers.GetValueOrDefault("x-frame-options"));
        Assert.Contains("frame-ancestors 'none'", headers.GetValueOrDefault("content-security-policy") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_FramedByAnotherSite_BrowserShowsNothingOfIt()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        await using var other = TestKestrel.Create();
        var target = session.Hub.BaseUrl + "/journal";
        other.MapGet("/", () => Results.Content($"""<html><body><iframe id="f" src="{target}"></iframe></body></html>""", "text/html"));
        await other.StartAsync();
        var framed = session.Page.WaitForResponseAsync(target);
        await session.Page.GotoAsync(TestKestrel.BaseUrl(other) + "/");
        Assert.Equal(200, (await framed).Status);

        // The outer page's load waited for its frame: blocked by frame-ancestors, the frame holds Chromium's error page.
        var shown = 0;
        foreach (var frame in session.Page.Frames)
        {
            shown += await frame.GetByRole(AriaRole.Heading, new() { Name = "Call journal" }).CountAsync();
        }

        Assert.Equal(0, shown);
    }

    [Fact]
    public async Task SignOut_PostWithoutAntiforgeryToken_RefusedAndStillSignedIn()
    {
        await using var session = await DashboardPage.OpenAsync(browser);
        var response = await session.Page.APIRequest.PostAsync("/signout", new() { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("Antiforgery token required", await response.TextAsync(), StringComparison.Ordinal);

        await session.Page.GotoAsync("/journal");
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Call journal" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("/%09/evil.com")]
    [InlineData("/%0a/evil.com")]
    [InlineData("/%0d%0a/evil.com")]
    public async Task Language_ReturnUrlWithControlCharacter_GoesHomeOnThisSite(string returnUrl)
    {
        await using var session = await DashboardPage.OpenAsync(browser, signIn: false);
        var response = await session.Page.APIRequest.GetAsync($"/language/en?returnUrl={returnUrl}", new() { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.Redirect, response.Status);
        Assert.Equal("/", response.Headers["location"]);

        await session.Page.GotoAsync($"/language/ru?returnUrl={returnUrl}");
        Assert.StartsWith(session.Hub.BaseUrl + "/", session.Page.Url, StringComparison.Ordinal);
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Вход" })).ToBeVisibleAsync();
    }
}
