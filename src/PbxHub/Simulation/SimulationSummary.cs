using System.Globalization;
using Spectre.Console;

namespace PbxHub.Simulation;

/// <summary>The end-of-run summary: what was sent, what failed, and which calls the hub got wrong.</summary>
internal static class SimulationSummary
{
    /// <summary>Listing every mismatch of a large run would bury the first ones; the count is always shown.</summary>
    private const int MismatchesShown = 50;

    public static void Write(IAnsiConsole console, SimulationReport report)
    {
        var send = report.Send;
        var seconds = Math.Max(send.Elapsed.TotalSeconds, 0.001);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Summary").AddColumn(new TableColumn("").RightAligned());
        table.AddRow("Calls", Number(report.Calls));
        table.AddRow("Requests sent", Number(send.Sent));
        table.AddRow("Duplicates sent", Number(send.Duplicates));
        table.AddRow("Failed requests", send.FailureCount == 0 ? "[green]0[/]" : $"[red]{Number(send.FailureCount)}[/]");
        foreach (var (reason, count) in send.Failures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            table.AddRow("  " + Markup.Escape(reason), Number(count));
        }

        table.AddRow("Elapsed", send.Elapsed.TotalSeconds.ToString("0.00 s", CultureInfo.InvariantCulture));
        table.AddRow("Requests/s", (send.Sent / seconds).ToString("0.0", CultureInfo.InvariantCulture));
        if (report.Mismatches is { } mismatches)
        {
            table.AddRow("Calls differing", mismatches.Count == 0 ? "[green]0[/]" : $"[red]{Number(mismatches.Count)}[/]");
        }

        table.AddRow("Seed", report.Seed.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        foreach (var m in (report.Mismatches ?? []).Take(MismatchesShown))
        {
            console.MarkupLine($"[red]{Markup.Escape($"{m.Scenario} call {m.ProviderCallId} ({m.Id})")}[/]");
            foreach (var difference in m.Differences)
            {
                console.MarkupLine("  " + Markup.Escape(difference));
            }
        }

        if (report.Mismatches?.Count > MismatchesShown)
        {
            console.MarkupLine($"… and {Number(report.Mismatches.Count - MismatchesShown)} more calls differ.");
        }
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
