using System.Text.RegularExpressions;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>Every page of the dashboard (Russian and English), with calls, a ringing call and a subscription on it: no English left, every time labelled.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DashboardPagesSweepTests(BrowserFixture browser)
{
    /// <summary>Words an English page says that a Russian one must not (raw kinds, states, units, labels).</summary>
    private static readonly string[] English =
    [
        "hook", "Delivering", "ringing", "answered", "missed", "inbound", "outbound", "Never", "never", "failing", "paused",
        "0–5s", "2m+", "Account", "Calls", "Journal", "Missed", "Statistics", "Set-up", "Live", "Sign out", "unknown", "talking",
        "webhook", "Subscription", "Last", "seconds", "minutes", "ago", "None", "Loading",
    ];

    [Theory]
    [InlineData("ru-RU")]
    [InlineData("en-GB")]
    public async Task EveryPage_WithTraffic_EveryTimeLabelledAndRussianHasNoEnglishWords(string language)
    {
        await using var subscriber = await Subscriber.StartAsync();
        subscriber.Answer = _ => (500, null, TimeSpan.Zero);
        await using var session = await DashboardPage.OpenAsync(browser, language: language);
        var hub = session.Hub;
        // Subscribed first, so the call pages and the set-up page also list deliveries (with their event types).
        var (subscription, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        await DashboardTraffic.SeedAsync(hub);
        var now = DashboardTraffic.Now;
        await hub.Client.SendHooksAsync(hub.HookPath, [SipuniHooks.Arrival("j-ringing", "89160000077", DashboardTraffic.Line, now - 5),
            SipuniHooks.Ring("j-ringing", "89160000077", "101", now - 5)]);

        await hub.Client.WaitForRecordedAttemptsAsync(subscription, 1);

        var found = new List<string>();
        foreach (var path in new[] { "/", "/journal", $"/calls/{StableIds.CallId(HubServer.AccountId, "j-answered")}",
                     $"/calls/{StableIds.CallId(HubServer.AccountId, "j-missed")}", "/missed", "/stats", "/setup" })
        {
            await session.Page.GotoAsync(path);
            await session.Page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
            if (path == "/")
            {
                // The live page draws its calls with script: read it once the ringing call is there.
                await Microsoft.Playwright.Assertions.Expect(session.Page.Locator("article.call")).ToHaveCountAsync(1);
            }

            // Addresses and the provider's raw requests are shown as they are: they are not words of the page.
            var text = Regex.Replace(await session.Page.Locator("main").InnerTextAsync(), @"https?://\S+|(?m)^(GET|POST) .*$", "");
            Console.WriteLine($"==== {path}\n{text}");
            found.AddRange(English.Where(_ => language == "ru-RU").Where(w => Regex.IsMatch(text, $@"(?<![\p{{L}}]){Regex.Escape(w)}(?![\p{{L}}])"))
                .Select(w => $"{path}: '{w}'"));
            found.AddRange(UnlabelledTime().Matches(text).Select(m => $"{path}: time without zone '{m.Value}'"));
            await session.ScreenshotAsync(language + "-sweep" + path.Replace('/', '-'));
        }

        Assert.Empty(found);
    }

    /// <summary>A clock time (HH:mm or HH:mm:ss) not followed by a zone label such as "UTC+3" or "MSK".</summary>
    [GeneratedRegex(@"(?<![\d:.])\d{2}:\d{2}(:\d{2})?(?![\d:])(?!\s*(UTC|GMT|МСК|MSK|\(UTC))")]
    private static partial Regex UnlabelledTime();
}
