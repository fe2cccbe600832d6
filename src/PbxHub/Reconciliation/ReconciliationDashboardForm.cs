using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;

namespace PbxHub.Reconciliation;

/// <summary>The set-up page's "reconcile now": the default period of the API, then back to the page, which shows the run.</summary>
internal static class ReconciliationDashboardForm
{
    public static void Map(WebApplication app) =>
        app.MapPost("/setup/reconcile", async (
            [FromForm] string account, AccountDirectory accounts, Reconciler reconciler, IOptions<ReconciliationOptions> options,
            TimeProvider time, CancellationToken ct) =>
        {
            var back = "/setup?reconciled=" + Uri.EscapeDataString(account);
            if (await accounts.FindAsync(account, ct) is not { } found)
            {
                return Results.LocalRedirect(back + "&refused=" + Uri.EscapeDataString($"no account '{account}'") + "#reconciliation");
            }

            var until = time.GetUtcNow() - options.Value.Settle;
            try
            {
                await reconciler.RunAsync(found, until - ReconciliationPeriod.Default, until, RunTriggers.Api, ct);
                return Results.LocalRedirect(back + "#reconciliation");
            }
            catch (ReconciliationRefusedException ex)
            {
                return Results.LocalRedirect(back + "&refused=" + Uri.EscapeDataString(string.Join("; ", ex.Problems)) + "#reconciliation");
            }
        }).RequireAuthorization().ExcludeFromDescription();
}
