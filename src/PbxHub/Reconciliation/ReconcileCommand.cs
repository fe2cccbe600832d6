using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Cli;
using PbxHub.Ingest;
using Spectre.Console;

namespace PbxHub.Reconciliation;

/// <summary>
/// <c>pbxhub reconcile --account ID [--since …] [--until …]</c>: one reconciliation against the configured database, as the
/// API runs it (docs/reconciliation.md). Exit 0 when it succeeded, 1 when it failed or was refused, 2 for bad arguments.
/// </summary>
internal static class ReconcileCommand
{
    public static Command Create()
    {
        var account = new Option<string>("--account") { Description = "The account to reconcile", Required = true };
        var since = new Option<string?>("--since") { Description = "Start of the period, ISO 8601 with offset (default: 24 hours before --until)" };
        var until = new Option<string?>("--until") { Description = "End of the period, ISO 8601 with offset (default: now less PbxHub:Reconciliation:Settle)" };
        var command = new Command("reconcile", "Read an account's call history from its provider and fill the gaps in its calls") { account, since, until };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            return await RunAsync(app.Services, parse.GetValue(account)!, parse.GetValue(since), parse.GetValue(until), AnsiConsole.Console, ct);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        IServiceProvider services, string accountId, string? since, string? until, IAnsiConsole console, CancellationToken ct)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var settle = services.GetRequiredService<IOptions<ReconciliationOptions>>().Value.Settle;
        if (ReconciliationPeriod.Parse(since, until, time.GetUtcNow(), settle, out var problem) is not { } period)
        {
            console.MarkupLineInterpolated($"[red]{problem}[/]");
            return 2;
        }

        if (await services.GetRequiredService<AccountDirectory>().FindAsync(accountId, ct) is not { } account)
        {
            console.MarkupLineInterpolated($"[red]No account '{accountId}'.[/]");
            return 2;
        }

        // The rows go through the write path like hooks: its writer runs for this command only.
        var writer = services.GetRequiredService<IngestWriter>();
        await writer.StartAsync(ct);
        try
        {
            var run = await services.GetRequiredService<Reconciler>().RunAsync(account, period.Since, period.Until, RunTriggers.Cli, ct);
            await services.GetRequiredService<FreshReads>().CatchUpAsync(TimeSpan.FromSeconds(30), ct);
            Print(run, console);
            return run.Status == RunStatuses.Succeeded ? 0 : 1;
        }
        catch (ReconciliationRefusedException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return 1;
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }

    private static void Print(ReconciliationRun run, IAnsiConsole console)
    {
        static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("run", "account", "period", "status", "seen", "created", "completed", "differing");
        table.AddRow(
            Markup.Escape(run.Id), Markup.Escape(run.Account), $"{Utc(run.Since)} – {Utc(run.Until)}", Markup.Escape(run.Status),
            N(run.Seen), N(run.Created), N(run.Completed), N(run.Differing));
        console.Write(table);
        if (run.Error is { } error)
        {
            console.MarkupLineInterpolated($"[red]The history could not be read: {error}[/]");
        }

        if (run.Findings.Count > 0)
        {
            var findings = new Table().AddColumns("call", "kind", "detail");
            foreach (var f in run.Findings)
            {
                findings.AddRow(Markup.Escape(f.CallId ?? ""), Markup.Escape(f.Kind), Markup.Escape(f.Reason ?? string.Join("; ", f.Differs ?? [])));
            }

            console.Write(findings);
        }
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
