using Microsoft.Playwright;
using PbxHub.Dashboard;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>Russian or English from the browser's language, and the switch that overrides it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LanguageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Language_RussianBrowser_RussianTextsUntilSwitchedToEnglishOnEveryPage()
    {
        await using var session = await DashboardPage.OpenAsync(browser, language: "ru-RU");
        var page = session.Page;
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Звонки сейчас" })).ToBeVisibleAsync();
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("в эфире");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await session.ScreenshotAsync("live-ru");

        await page.GetByRole(AriaRole.Link, new() { Name = "Журнал" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Журнал звонков" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Показать" })).ToBeVisibleAsync();
        await session.ScreenshotAsync("journal-ru");

        await page.GetByRole(AriaRole.Link, new() { Name = "EN", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Call journal" })).ToBeVisibleAsync();
        Assert.EndsWith("/journal", page.Url, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Missed calls" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Missed calls not returned" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "RU", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Пропущенные без перезвона" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Language_EnglishBrowser_SignInPageInEnglish()
    {
        await using var session = await DashboardPage.OpenAsync(browser, language: "en-US", signIn: false);
        await session.Page.GotoAsync("/signin");
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(session.Page.GetByText("API key")).ToBeVisibleAsync();
    }

    [Fact]
    public void Texts_RussianAndEnglish_SameKeysNoneEmpty()
    {
        Assert.Equal(UiTextsEn.All.Keys.Order(StringComparer.Ordinal), UiTextsRu.All.Keys.Order(StringComparer.Ordinal));
        Assert.All(UiTextsEn.All.Concat(UiTextsRu.All), kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), kv.Key));
    }
}
