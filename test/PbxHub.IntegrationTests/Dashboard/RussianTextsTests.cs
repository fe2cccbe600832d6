using Microsoft.Playwright;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Providers.Evrotel;
using PbxHub.Simulation.Emulators;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>Russian pages say everything in Russian, including what a refused call back means and what to do.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RussianTextsTests(BrowserFixture browser)
{
    [Fact]
    public async Task CallDetail_RussianPage_RawRequestKindInRussian()
    {
        await using var session = await DashboardPage.OpenAsync(browser, language: "ru-RU");
        await DashboardTraffic.SeedAsync(session.Hub);
        await session.Page.GotoAsync($"/calls/{StableIds.CallId(HubServer.AccountId, "j-missed")}");

        var kinds = await session.Page.Locator("#raw tbody tr td:nth-child(2)").AllTextContentsAsync();

        Assert.Equal(3, kinds.Count);
        Assert.All(kinds, k => Assert.Equal("вебхук", k.Trim()));
    }

    [Fact]
    public async Task Stats_RussianPage_WaitLabelsInRussian()
    {
        await using var session = await DashboardPage.OpenAsync(browser, language: "ru-RU");
        await DashboardTraffic.SeedAsync(session.Hub);
        await session.Page.GotoAsync("/stats");

        var labels = await session.Page.Locator("#waits g.label text").AllTextContentsAsync();

        Assert.Equal(["0–5 с", "5–15 с", "15–30 с", "30–60 с", "1–2 мин", "2+ мин"], labels);
    }

    [Fact]
    public async Task Missed_RussianPageCallBackRefused_ShowsTheProblemAndItsRemedyInRussian()
    {
        // Evrotel's stand-in knows another token than the account's, so click-to-call is refused (403 "Access denied").
        await using var evrotelApi = await EvrotelEmulator.StartAsync(
            "http://127.0.0.1:0", new EvrotelEmulatorOptions { Token = "another-token-0000", BillCode = "20558" }, TimeProvider.System);
        await using var session = await CallBackFromMissedPageAsync(evrotelApi.BaseUrl);
        var row = session.Page.Locator("#missed tbody tr", new() { HasText = "+380987858227" });

        var answer = row.Locator(".answer.problem");
        await Expect(answer).ToContainTextAsync("Evrotel не принял токен");
        await Expect(answer).ToContainTextAsync("Проверьте Evrotel:Token");
        await Expect(answer).Not.ToContainTextAsync("Access denied");
        await session.ScreenshotAsync("missed-callback-refused-ru");
    }

    [Fact]
    public async Task Missed_RussianPageProviderUnreachable_ShowsWhatToDoInRussian()
    {
        // Nothing listens at the account's Evrotel address: no provider code, a 502 whose title and remedy are PbxHub's (English).
        var closedPort = System.Net.Sockets.TcpListener.Create(0);
        closedPort.Start();
        var nowhere = $"http://127.0.0.1:{((System.Net.IPEndPoint)closedPort.LocalEndpoint).Port}";
        closedPort.Stop();
        await using var session = await CallBackFromMissedPageAsync(nowhere);
        var row = session.Page.Locator("#missed tbody tr", new() { HasText = "+380987858227" });

        var answer = row.Locator(".answer.problem");
        await Expect(answer).ToContainTextAsync("провайдер недоступен");
        await Expect(answer).ToContainTextAsync("Проверьте адрес провайдера");
        await Expect(answer).Not.ToContainTextAsync("could not be reached");
        await session.ScreenshotAsync("missed-callback-unreachable-ru");
    }

    /// <summary>A Russian missed-calls page with Evrotel's missed example call, its call-back asked of <paramref name="evrotelUrl"/>.</summary>
    private async Task<DashboardPage> CallBackFromMissedPageAsync(string evrotelUrl)
    {
        var session = await DashboardPage.OpenAsync(browser, language: "ru-RU", settings: new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = EvrotelHub.AccountId, ["PbxHub:Accounts:1:Provider"] = "evrotel",
            ["PbxHub:Accounts:1:TimeZone"] = "Europe/Kyiv", ["PbxHub:Accounts:1:Evrotel:Token"] = EvrotelHub.Token,
            ["PbxHub:Accounts:1:Evrotel:BillCode"] = "20558", ["PbxHub:Accounts:1:Evrotel:BaseUrl"] = evrotelUrl,
        });
        var (_, callId) = await EvrotelHub.PostAsync(session.Hub, EvrotelHub.Fixture("start.json"));
        var end = EvrotelHub.Fixture("end.json").Replace("\"123456789\"", $"\"{callId}\"", StringComparison.Ordinal)
            .Replace("ANSWERED", "NO ANSWER", StringComparison.Ordinal).Replace("\"78\"", "\"0\"", StringComparison.Ordinal);
        await EvrotelHub.PostAsync(session.Hub, end);
        await session.Page.GotoAsync("/missed");
        var row = session.Page.Locator("#missed tbody tr", new() { HasText = "+380987858227" });
        await row.Locator("input[name=operator]").FillAsync("101");
        await row.GetByRole(AriaRole.Button, new() { Name = "Перезвонить" }).ClickAsync();
        return session;
    }
}
