using System.Globalization;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Recordings;

/// <summary>The recordings' counters on <c>/metrics</c> (Prometheus text): fetched, bytes kept, failed attempts by reason.</summary>
public sealed class RecordingMetricsTests
{
    // Hubs of tests running beside this one share the process's meters: this test's account is its own.
    private const string Account = "rec-metrics";
    private const string Secret = "rec-metrics-secret";

    [Fact]
    public async Task Metrics_KeptAndFailedRecordings_CountedByAccountAndReason()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = Account,
            ["PbxHub:Accounts:1:Provider"] = "sipuni",
            ["PbxHub:Accounts:1:Secret"] = Secret,
            ["PbxHub:Accounts:1:TimeZone"] = "Europe/Moscow",
            ["PbxHub:Accounts:1:Sipuni:UserNumber"] = "012346",
            // The metadata address is one of its hosts, so the blocked networks are what refuse it.
            ["PbxHub:Accounts:1:Recordings:Hosts"] = origin.Host + ", 169.254.169.254",
        });
        var hooks = $"/hooks/{Account}/{Secret}";
        await RecordingHub.SendCallAsync(hub.Client, hooks, "met-kept", origin.BaseUrl + "/rec/met.wav");
        await RecordingHub.SendCallAsync(hub.Client, hooks, "met-html", origin.BaseUrl + "/html/met.wav");
        await RecordingHub.SendCallAsync(hub.Client, hooks, "met-blocked", "http://169.254.169.254/latest/meta-data/");
        foreach (var key in (string[])["met-kept", "met-html", "met-blocked"])
        {
            await RecordingHub.SettledAsync(hub.Client, StableIds.CallId(Account, key));
        }

        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var text = await anonymous.GetStringAsync("/metrics");

        Assert.Contains("# TYPE pbxhub_recordings_fetched_total counter", text, StringComparison.Ordinal);
        Assert.Equal(1, Value(text, "pbxhub_recordings_fetched_total", null));
        Assert.Equal(RecordingOrigin.Wav.Length, Value(text, "pbxhub_recordings_bytes_total", null));
        // The HTML page: the first attempt and each of the three retries; the metadata address: refused once, for good.
        Assert.Equal(4, Value(text, "pbxhub_recordings_failed_total", "not_audio"));
        Assert.Equal(1, Value(text, "pbxhub_recordings_failed_total", "blocked_network"));
    }

    /// <summary>The sample of <paramref name="metric"/> for this test's account (and <paramref name="reason"/>).</summary>
    private static double Value(string text, string metric, string? reason)
    {
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(metric + "{", StringComparison.Ordinal)
            && l.Contains($"account=\"{Account}\"", StringComparison.Ordinal)
            && (reason is null || l.Contains($"reason=\"{reason}\"", StringComparison.Ordinal)));
        Assert.True(line is not null, $"no {metric} for {Account} {reason} in:\n{text}");
        return double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
