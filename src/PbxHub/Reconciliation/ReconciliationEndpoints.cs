using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;

namespace PbxHub.Reconciliation;

internal static class ReconciliationEndpoints
{
    public static RouteGroupBuilder MapReconciliation(this RouteGroupBuilder api)
    {
        api.MapPost("/accounts/{id}/reconcile", ReconcileAsync).WithTags("Reconciliation").WithName("ReconcileAccount")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapGet("/reconciliation", ListAsync).WithTags("Reconciliation").WithName("ListReconciliationRuns")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    /// <summary>Reconciles the account now: 200 with the run; a history that could not be read is a failed run, answered 502.</summary>
    private static async Task<Results<Ok<ReconciliationRun>, ProblemHttpResult>> ReconcileAsync(
        string id, string? since, string? until, AccountDirectory accounts, Reconciler reconciler,
        IOptions<ReconciliationOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (await accounts.FindAsync(id, ct) is not { } account)
        {
            return TypedResults.Problem(statusCode: 404, title: "Unknown account", detail: $"No account '{id}'.");
        }

        if (ReconciliationPeriod.Parse(since, until, time.GetUtcNow(), options.Value.Settle, out var problem) is not { } period)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad period", detail: problem);
        }

        try
        {
            var run = await reconciler.RunAsync(account, period.Since, period.Until, RunTriggers.Api, ct);
            return run.Status == RunStatuses.Succeeded
                ? TypedResults.Ok(run)
                : TypedResults.Problem(
                    statusCode: 502, title: "The provider's call history could not be read", detail: run.Error,
                    extensions: new Dictionary<string, object?> { ["runId"] = run.Id, ["run"] = run });
        }
        catch (ReconciliationRefusedException ex)
        {
            return ex.NoReader
                ? TypedResults.Problem(statusCode: 409, title: "The provider's history cannot be read", detail: string.Join("; ", ex.Problems))
                : TypedResults.Problem(
                    statusCode: 422, title: "The account lacks settings to read its history", detail: string.Join("; ", ex.Problems),
                    extensions: new Dictionary<string, object?> { ["problems"] = ex.Problems });
        }
    }

    /// <summary>The runs, newest first; of one account with <c>account=</c>.</summary>
    private static async Task<Results<Ok<IReadOnlyList<ReconciliationRun>>, ProblemHttpResult>> ListAsync(
        string? account, int? limit, ReconciliationStore store, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad limit", detail: "limit must be between 1 and 500");
        }

        return TypedResults.Ok(await store.ListAsync(string.IsNullOrEmpty(account) ? null : account, limit ?? 50, ct));
    }
}
