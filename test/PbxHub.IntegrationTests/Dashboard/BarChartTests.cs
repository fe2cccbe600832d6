using static Microsoft.Playwright.Assertions;

namespace PbxHub.IntegrationTests.Dashboard;

/// <summary>Chart labels are read at the size the chart is drawn, on a desktop and on a phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BarChartTests(BrowserFixture browser)
{
    /// <summary>Each label's font size as drawn (its size in chart units times the chart's scale), and its box.</summary>
    private const string Measure = """
        texts => texts.map(t => {
            const svg = t.ownerSVGElement, scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const box = t.getBoundingClientRect();
            return [parseFloat(getComputedStyle(t).fontSize) * scale, box.left, box.right];
        })
        """;

    [Theory]
    [InlineData(1280)]
    [InlineData(DashboardPage.PhoneWidth)]
    public async Task Stats_HourChart_LabelsReadableAndApart(int width)
    {
        await using var session = await DashboardPage.OpenAsync(browser, width: width);
        await DashboardTraffic.SeedAsync(session.Hub);
        await session.Page.GotoAsync("/stats");
        await Expect(session.Page.Locator("#per-hour g.bar-group")).ToHaveCountAsync(24);

        var labels = await session.Page.Locator("#per-hour g.label text").EvaluateAllAsync<double[][]>(Measure);

        Assert.True(labels.Length >= 6, $"only {labels.Length} hour labels");
        Assert.All(labels, l => Assert.True(l[0] >= 12, $"hour label drawn at {l[0]:0.#} px at width {width}"));
        for (var i = 1; i < labels.Length; i++)
        {
            Assert.True(labels[i][1] >= labels[i - 1][2], $"hour labels {i - 1} and {i} overlap at width {width}");
        }

        await session.ScreenshotAsync($"stats-hours-{width}");
    }
}
