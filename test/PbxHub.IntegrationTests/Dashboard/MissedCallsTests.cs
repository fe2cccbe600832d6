using Microsoft.Playwright;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Providers.Evrotel;
using PbxHub.IntegrationTests.Providers.HookType;
using PbxHub.Simulation.Emulators;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>
/// Missed calls not returned, oldest first, with "call back" where the account's provider can place calls
/// and the reason where it cannot; the button places the call through the provider (Evrotel's stand-in).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MissedCallsTests(BrowserFixture browser)
{
    private static Dictionary<string, string> WithEvrotel(string evrotelBaseUrl) => new()
    {
        ["PbxHub:Accounts:1:Id"] = EvrotelHub.AccountId,
        ["PbxHub:Accounts:1:Provider"] = "evrotel",
        ["PbxHub:Accounts:1:TimeZone"] = "Europe/Kyiv",
        ["PbxHub:Accounts:1:Evrotel:Token"] = EvrotelHub.Token,
        ["PbxHub:Accounts:1:Evrotel:BillCode"] = "20558",
        ["PbxHub:Accounts:1:Evrotel:BaseUrl"] = evrotelBaseUrl,
    };

    [Fact]
    public async Task Missed_SipuniAndEvrotelCalls_OldestFirstReturnedHiddenButtonOnlyWhereTheProviderCanCall()
    {
        await using var evrotelApi = await EvrotelEmulator.StartAsync(
            "http://127.0.0.1:0", new EvrotelEmulatorOptions { Token = EvrotelHub.Token, BillCode = "20558" }, TimeProvider.System);
        await using var session = await DashboardPage.OpenAsync(browser, settings: WithEvrotel(evrotelApi.BaseUrl));
        var hub = session.Hub;
        var start = DashboardTraffic.Now - 7200;
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("m-old", "89160000001", DashboardTraffic.Line, "101", start));
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("m-new", "89160000002", DashboardTraffic.Line, "101", start + 600));
        // Returned: the same caller got through later and was answered.
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("m-returned", "89160000003", DashboardTraffic.Line, "101", start + 60));
        await hub.Client.SendHooksAsync(hub.HookPath, DashboardTraffic.AnsweredOnSecondLeg("m-return", "89160000003", start + 900));
        // Evrotel: the document's start (a 2018 call, so the oldest), then its end unanswered.
        var (_, callId) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"));
        var end = EvrotelHub.Fixture("end.json").Replace("\"123456789\"", $"\"{callId}\"", StringComparison.Ordinal)
            .Replace("ANSWERED", "NO ANSWER", StringComparison.Ordinal).Replace("\"78\"", "\"0\"", StringComparison.Ordinal);
        await EvrotelHub.PostAsync(hub, end);

        var page = session.Page;
        await page.GotoAsync("/missed");
        var rows = page.Locator("#missed tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0)).ToContainTextAsync("+380987858227");
        await Expect(rows.Nth(1)).ToContainTextAsync("+79160000001");
        await Expect(rows.Nth(2)).ToContainTextAsync("+79160000002");

        var evrotel = rows.Nth(0);
        await Expect(evrotel.GetByRole(AriaRole.Button, new() { Name = "Call back" })).ToBeVisibleAsync();
        await Expect(evrotel.Locator("form.callback")).ToHaveAttributeAsync("data-client", "+380987858227");
        await Expect(evrotel.Locator("form.callback")).ToHaveAttributeAsync("data-account", EvrotelHub.AccountId);
        var sipuni = rows.Nth(1);
        await Expect(sipuni.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(sipuni.Locator(".reason")).ToHaveTextAsync("Sipuni accounts cannot place calls through PbxHub: call back from the phone.");
        await Expect(sipuni).ToContainTextAsync("101");
        await session.ScreenshotAsync("missed");

        // Call back: placed through Evrotel's click-to-call (its stand-in here), and stored as a request.
        await evrotel.Locator("input[name=operator]").FillAsync("101");
        await evrotel.GetByRole(AriaRole.Button, new() { Name = "Call back" }).ClickAsync();
        await Expect(evrotel.Locator(".answer.ok")).ToBeVisibleAsync();
        using var requests = await hub.Client.GetJsonAsync("/api/v1/calls/requests");
        var request = Assert.Single(requests.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(EvrotelHub.AccountId, request.Str("account"));
        Assert.Contains("0987858227", request.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missed_HookTypeCallCalledBackThroughSipuni_NotListed()
    {
        await using var session = await DashboardPage.OpenAsync(browser, settings: HookTypeHub.Settings());
        var hub = session.Hub;
        // The spec's MissedIncCall (9582412128, 2021-01-28T15:34:51Z), and another caller's, both on HookType.
        await hub.PostAcceptedAsync(HookTypeHub.Example("MissedIncCall"));
        await hub.PostAcceptedAsync(HookTypeHub.Hook("ht-other", "MissedIncCall", ("EndTime", "2021-01-28 18:40:00"),
            ("CityNumber", "4950665310"), ("Caller", "9161234567"), ("Called", "84950665310"), ("Duration", 0), ("ResultCode", "603-S")));
        // 101 calls the first caller back through Sipuni at 16:00Z, and the caller answers.
        const long back = 1_611_849_600;
        await hub.Client.SendHooksAsync(hub.HookPath,
        [
            SipuniHooks.OutboundStart("o-back", "101", "89582412128", back),
            SipuniHooks.OutboundHangUp("o-back", "101", "89582412128", "ANSWER", back, back + 5, back + 65),
        ]);

        var page = session.Page;
        await page.GotoAsync("/missed");

        var rows = page.Locator("#missed tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Nth(0)).ToContainTextAsync("+79161234567");
    }
}
