using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using PbxHub.Storage;

namespace PbxHub.Api;

/// <summary>
/// <c>/readyz</c>: whether this node can take hooks now, for a load balancer to send them elsewhere when it cannot
/// (docs/deployment.md, "When the database fails"). It answers within <see cref="Timeout"/> even when the database hangs.
/// </summary>
internal static class Readiness
{
    /// <summary>Less than a load balancer's usual probe timeout, so a hung database reads as "not ready", not as a lost probe.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static async Task<Results<Ok<ReadyStatus>, ProblemHttpResult>> CheckAsync(
        HubStore store, ISqlDatabase database, StorageFaults faults, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Timeout);
        try
        {
            // WaitAsync too: a driver blocked on a frozen server may not notice the cancellation for a long while.
            var check = CheckStoreAsync(store, database, faults, limit.Token);
            return await check.WaitAsync(Timeout, ct) is { } problem
                ? NotReady(problem)
                : TypedResults.Ok(new ReadyStatus("ready"));
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return NotReady($"The database did not answer within {Timeout.TotalSeconds:0} s.");
        }
    }

    /// <returns>Why the node is not ready, or null when it is.</returns>
    private static async Task<string?> CheckStoreAsync(HubStore store, ISqlDatabase database, StorageFaults faults, CancellationToken ct)
    {
        if (!await store.IsReadyAsync(ct))
        {
            return "The database is not reachable or not migrated.";
        }

        if (!faults.IsFaulted)
        {
            return null;
        }

        if (faults.FailedRecently)
        {
            return CannotStore;
        }

        // Failures stopped, maybe only because traffic went elsewhere: a write says whether the node may have it back.
        try
        {
            await database.WriteAsync(
                (connection, tx) => connection.ExecuteAsync(
                    "UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT MAX(version) FROM schema_migrations)",
                    transaction: tx),
                ct);
        }
        catch (Exception ex) when (faults.Absorb(ex, "readiness probe"))
        {
            return CannotStore;
        }

        return null;
    }

    private const string CannotStore = "The database refused writes in the last seconds: hooks are answered 503 and not stored.";

    private static ProblemHttpResult NotReady(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: detail);
}

internal sealed record ReadyStatus(string Status);
