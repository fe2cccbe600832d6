using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Api;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterHooks_PrometheusTextWithIngestCounters()
    {
        await using var hub = await HubServer.StartAsync();
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("met1", "89031234567", "84951234567", "101", 1_700_000_000));

        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var text = await anonymous.GetStringAsync("/metrics");

        Assert.Contains("# TYPE pbxhub_ingest_requests_total counter", text, StringComparison.Ordinal);
        // Hubs of tests running beside this one live in the same process, and meters are matched by name:
        // the counter is at least this hub's three requests.
        var stored = text.Split('\n').Where(l => l.StartsWith("pbxhub_ingest_requests_total", StringComparison.Ordinal))
            .Sum(l => double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(stored >= 3, text);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AfterHooksFolded_WriterTimeByState()
    {
        await using var hub = await HubServer.StartAsync();
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("met2", "89031234568", "84951234567", "101", 1_700_000_000));
        // Reading the calls waits for their fold: the writer has both acknowledged and folded by then.
        (await hub.Client.GetAsync("/api/v1/calls")).EnsureSuccessStatusCode();

        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var text = await anonymous.GetStringAsync("/metrics");

        Assert.Contains("# TYPE pbxhub_ingest_writer_time_seconds_total counter", text, StringComparison.Ordinal);
        Assert.True(WriterSeconds(text, "acking") > 0, text);
        Assert.True(WriterSeconds(text, "folding") > 0, text);
    }

    private static double WriterSeconds(string metrics, string state) =>
        metrics.Split('\n').Where(l => l.StartsWith("pbxhub_ingest_writer_time_seconds_total{", StringComparison.Ordinal) && l.Contains($"state=\"{state}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
}
