using System.Globalization;

namespace PbxHub.IntegrationTests.Reconciliation;

public sealed class ReconciliationMetricsTests
{
    [Fact]
    public async Task Metrics_AfterRuns_RunsByProviderAndStatusAndRowsByKind()
    {
        await using var ledger = await LedgerHub.StartAsync();
        var start = ledger.Now.AddMinutes(-30);
        ledger.History.Add("r1", "m1", start, null, start.AddSeconds(20));
        (await ledger.ReconcileAsync(ledger.Now.AddHours(-1))).EnsureSuccessStatusCode();
        ledger.History.FailWith = 503;
        using (await ledger.ReconcileAsync(ledger.Now.AddHours(-1)))
        {
            // A failed run, answered 502 (ReconcileHistoryFaultsTests); counted here.
        }

        using var anonymous = new HttpClient { BaseAddress = new Uri(ledger.Hub.BaseUrl) };
        var text = await anonymous.GetStringAsync("/metrics");

        // Meters are matched by name across the hubs of tests running beside this one: at least this hub's runs.
        Assert.True(Sum(text, "pbxhub_reconciliation_runs_total{", "provider=\"ledgerpbx\"", "status=\"succeeded\"") >= 1, text);
        Assert.True(Sum(text, "pbxhub_reconciliation_runs_total{", "provider=\"ledgerpbx\"", "status=\"failed\"") >= 1, text);
        Assert.True(Sum(text, "pbxhub_reconciliation_calls_total{", "provider=\"ledgerpbx\"", "kind=\"created\"") >= 1, text);
    }

    private static double Sum(string metrics, string name, params string[] tags) =>
        metrics.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal) && tags.All(t => l.Contains(t, StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.IndexOf('}', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
}
