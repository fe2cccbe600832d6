using Microsoft.Playwright;
using PbxHub.IntegrationTests.Dashboard;
using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Recordings;

/// <summary>The dashboard plays PbxHub's copy, and the set-up page counts the recordings not kept, with their reasons.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordingDashboardTests(BrowserFixture browser)
{
    [Fact]
    public async Task Dashboard_KeptAndFailedRecordings_PlayerUsesTheKeptCopyAndSetupCountsTheFailure()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var session = await DashboardPage.OpenAsync(browser, settings: new Dictionary<string, string>
        {
            ["PbxHub:Accounts:0:Recordings:Hosts"] = origin.Host,
            ["PbxHub:Recordings:PollInterval"] = "00:00:00.050",
            ["PbxHub:Recordings:Retries"] = "00:00:00.100",
        });
        var hub = session.Hub;
        var kept = await RecordingHub.SendCallAsync(hub, "dash-kept", origin.BaseUrl + "/rec/dash.wav");
        var failed = await RecordingHub.SendCallAsync(hub, "dash-html", origin.BaseUrl + "/html/dash.wav");
        await RecordingHub.SettledAsync(hub, kept);
        await RecordingHub.SettledAsync(hub, failed);

        var page = session.Page;
        await page.GotoAsync("/setup");
        var row = page.Locator("#recording-failures tr[data-state='failed']");
        await Expect(row).ToContainTextAsync("not a recording");
        await Expect(row.Locator(".count")).ToHaveTextAsync("1");

        await page.GotoAsync($"/calls/{kept}");
        var src = await page.Locator("#recording-player").GetAttributeAsync("src");
        Assert.StartsWith("/recordings/", src, StringComparison.Ordinal);
        var played = await page.APIRequest.GetAsync(src!);
        Assert.Equal(200, played.Status);
        Assert.Equal(RecordingOrigin.Wav, await played.BodyAsync());
    }
}
