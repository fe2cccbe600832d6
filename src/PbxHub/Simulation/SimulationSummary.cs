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

        if (report.Lost.Requests > 0)
        {
            // Dropped on purpose (--lose): not failures, and shown apart from them.
            table.AddRow("Calls lost on purpose (never sent)", Number(report.Lost.WholeCalls));
            table.AddRow("Calls sent without their hang-ups", Number(report.Lost.HangUpCalls));
            table.AddRow("Requests dropped on purpose", Number(report.Lost.Requests));
        }

        if (report.HistoryPosted is { } posted)
        {
            table.AddRow("Calls given to the history stand-in", report.HistoryProblem is null ? Number(posted) : $"[red]{Number(posted)}[/]");
        }

        if (report.Reconciliation is { } run)
        {
            Reconciliation(table, run);
        }

        table.AddRow("Elapsed", send.Elapsed.TotalSeconds.ToString("0.00 s", CultureInfo.InvariantCulture));
        table.AddRow("Requests/s", (send.Sent / seconds).ToString("0.0", CultureInfo.InvariantCulture));
        if (report.Mismatches is { } mismatches)
        {
            table.AddRow("Calls differing", mismatches.Count == 0 ? "[green]0[/]" : $"[red]{Number(mismatches.Count)}[/]");
        }

        table.AddRow("Seed", report.Seed.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        if (report.HistoryProblem is { } problem)
        {
            console.MarkupLine($"[red]Nothing sent: the history stand-in did not take the calls: {Markup.Escape(problem)}[/]");
        }

        if (report.Reconciliation is { Problem: { } failed })
        {
            console.MarkupLine($"[red]{Markup.Escape(failed)}[/]");
        }

        foreach (var finding in (report.Reconciliation?.Findings ?? []).Take(MismatchesShown))
        {
            console.MarkupLine("finding: " + Markup.Escape(finding));
        }

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

    private static void Reconciliation(Table table, ReconcileRun run)
    {
        table.AddRow("Reconciliation", run.Succeeded ? "[green]succeeded[/]" : "[red]failed[/]");
        table.AddRow("  calls seen in the history", Number(run.Seen));
        table.AddRow("  created", Number(run.Created));
        table.AddRow("  completed", Number(run.Completed));
        table.AddRow("  differing", run.Differing == 0 ? "0" : $"[yellow]{Number(run.Differing)}[/]");
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
