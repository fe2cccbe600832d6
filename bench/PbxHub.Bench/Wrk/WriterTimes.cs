using System.Globalization;

namespace PbxHub.Bench.Wrk;

/// <summary>
/// The hub's single writer, by state, from its <c>/metrics</c> (<c>pbxhub_ingest_writer_time_seconds_total</c>,
/// docs/storage.md): read before and after a run, the difference says where the write path's time went.
/// </summary>
internal static class WriterTimes
{
    private const string Metric = "pbxhub_ingest_writer_time_seconds_total{";

    public static async Task<Dictionary<string, double>> ReadAsync(string baseUrl)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync("/metrics");
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Where(l => l.StartsWith(Metric, StringComparison.Ordinal)))
        {
            var state = line.Split("state=\"")[1].Split('"')[0];
            var value = double.Parse(line[(line.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0], CultureInfo.InvariantCulture);
            seconds[state] = seconds.GetValueOrDefault(state) + value;
        }

        return seconds;
    }

    /// <summary>"acking 35 %, folding 60 %, …" over the run between the two readings.</summary>
    public static string Shares(Dictionary<string, double> before, Dictionary<string, double> after)
    {
        var spent = after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));
        var total = spent.Values.Sum();
        return total <= 0 ? "no writer time on /metrics" : string.Join(", ", spent.Where(s => s.Value > 0).OrderByDescending(s => s.Value)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value / total:P0}")));
    }
}
