using System.Net;
using System.Net.Http.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Dashboard;
using PbxHub.Providers;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Providers.MadeUp;

/// <summary>The set-up page lists every registered provider in the page's language, a made-up one included.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MadeUpProviderDashboardTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("en-GB", "TinyPbx (Georgia): a made-up provider of the tests.")]
    [InlineData("ru-RU", "TinyPbx (Грузия): выдуманный провайдер тестов.")]
    public async Task Setup_MadeUpProviderRegistered_ListedWithItsOwnText(string language, string text)
    {
        await using var session = await DashboardPage.OpenAsync(
            browser, language, configure: b => b.Services.AddProvider(TinyPbx.Descriptor));

        await session.Page.GotoAsync("/setup");

        await Expect(session.Page.Locator("#provider-list li[data-provider='tinypbx']")).ToContainTextAsync(text);
        await Expect(session.Page.Locator("#provider-list li[data-provider='sipuni']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Missed_CallOfMadeUpProviderWithoutOutboundClient_NoButtonAndItsOwnReason()
    {
        await using var session = await DashboardPage.OpenAsync(browser, configure: b => b.Services.AddProvider(TinyPbx.Descriptor));
        var hub = session.Hub;
        using (var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "tiny", provider = TinyPbx.Name, secret = "tiny-secret-0123456789" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        foreach (var hook in (string[])[TinyPbx.Hook("m1", "start", 1_700_000_000), TinyPbx.Hook("m1", "end", 1_700_000_009)])
        {
            using var response = await hub.Client.GetAsync($"/hooks/tiny/tiny-secret-0123456789?{hook}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await session.Page.GotoAsync("/missed");

        var row = session.Page.Locator($"#missed tr[data-call-id='{StableIds.CallId("tiny", "m1")}']");
        await Expect(row.Locator(".reason")).ToHaveTextAsync("TinyPbx accounts cannot call back.");
        await Expect(row.Locator("form.callback")).ToHaveCountAsync(0);
    }
}
