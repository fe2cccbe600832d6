using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Security;

/// <summary>Behind a load balancer, a dashboard signed in on one node must keep working on another: they share the key ring.</summary>
public sealed partial class SharedKeyRingCookieTests
{
    [GeneratedRegex("""name="__RequestVerificationToken" value="([^"]+)"|name="request-verification-token" content="([^"]+)"|content="([^"]+)" name="request-verification-token" """)]
    private static partial Regex Token();

    private static string TokenIn(string html)
    {
        var match = Token().Match(html);
        Assert.True(match.Success, "the page carries an antiforgery token");
        return WebUtility.HtmlDecode(match.Groups.Cast<Group>().Skip(1).First(g => g.Success).Value);
    }

    [Fact]
    public async Task DashboardCookie_SignedInOnNodeA_OpensNodeBWithTheSameKeyRingButNotANodeWithAnother()
    {
        var keys = new Dictionary<string, string> { ["PbxHub:Security:KeysDirectory"] = Path.Combine(Path.GetTempPath(), "pbxhub-tests", Guid.NewGuid().ToString("n")) };
        await using var nodeA = await HubServer.StartAsync(keys);
        await using var nodeB = await HubServer.StartAsync(keys);
        await using var stranger = await HubServer.StartAsync();

        // Cookies are per host, not per port: one browser's cookies go to every node at 127.0.0.1.
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler);
        var signInPage = await browser.GetStringAsync(nodeA.BaseUrl + "/signin");
        using var signIn = await browser.PostAsync(nodeA.BaseUrl + "/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = HubServer.ApiKey, ["returnUrl"] = "/missed", ["__RequestVerificationToken"] = TokenIn(signInPage),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/missed", signIn.Headers.Location?.OriginalString);
        var pageToken = TokenIn(await browser.GetStringAsync(nodeA.BaseUrl + "/missed"));

        using var onB = await browser.GetAsync(nodeB.BaseUrl + "/api/v1/calls");
        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        using var post = new HttpRequestMessage(HttpMethod.Post, nodeB.BaseUrl + "/api/v1/subscriptions")
        {
            Content = JsonContent.Create(new { url = "https://example.com/hook" }),
        };
        post.Headers.Add("RequestVerificationToken", pageToken);
        using var postedOnB = await browser.SendAsync(post);
        Assert.Equal(HttpStatusCode.Created, postedOnB.StatusCode);

        using var onStranger = await browser.GetAsync(stranger.BaseUrl + "/api/v1/calls");
        Assert.Equal(HttpStatusCode.Unauthorized, onStranger.StatusCode);
    }
}
