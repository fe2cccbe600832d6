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
}
