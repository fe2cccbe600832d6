using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;

namespace PbxHub.Storage;

/// <summary>A raw event as stored: the request, who it was for, and what the adapter made of it.</summary>
internal sealed record RawRow(
    long Seq, string Account, string Provider, string Kind, string? CallKey, string DedupeKey, RawRequest Request, string? Reason);

internal interface IAccountStore
{
    Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct);

    Task AddAsync(Account account, CancellationToken ct);

    Task<bool> RemoveAsync(string id, CancellationToken ct);
}

internal interface IApiKeyStore
{
    Task AddAsync(string id, string name, string keyHash, DateTimeOffset createdAt, CancellationToken ct);

    Task<bool> ExistsAsync(string keyHash, CancellationToken ct);
}

/// <summary>A page of the journal: newest first, keyset-paginated.</summary>
internal sealed record CallQuery(
    string? Account, DateTimeOffset? Since, DateTimeOffset? Until, IReadOnlyList<string>? NumberForms,
    string? Direction, string? Outcome, string? State, IReadOnlyList<string>? AnsweredByForms,
    (DateTimeOffset StartedAt, string Id)? After, int Limit)
{
    /// <summary>Only calls with no later answered call with the caller's number, in one of <see cref="ReturnAccounts"/>.</summary>
    public bool Unreturned { get; init; }

    /// <summary>
    /// The accounts whose answered calls return a missed call (a client called back through another provider of the
    /// company is called back all the same); null: any account. The API and dashboard name them, which lets the
    /// lookup use the index on (account, value).
    /// </summary>
    public IReadOnlyList<string>? ReturnAccounts { get; init; }
}

internal interface ICallQueries
{
    Task<IReadOnlyList<CallRecord>> ListAsync(CallQuery query, CancellationToken ct);

    Task<CallRecord?> GetAsync(string id, CancellationToken ct);

    /// <summary>The call's raw events and normalised events, or null when there is no such call.</summary>
    Task<(IReadOnlyList<RawRow> Raw, IReadOnlyList<CallEvent> Events)?> TimelineAsync(string id, CancellationToken ct);

    /// <summary>Per account with raw events: when the last one was received and how many were quarantined.</summary>
    Task<IReadOnlyList<AccountActivity>> AccountActivityAsync(CancellationToken ct);

    /// <summary>Quarantined requests, newest first, keyset-paginated by their position in the raw log.</summary>
    Task<IReadOnlyList<RawRow>> QuarantinedAsync(QuarantineQuery query, CancellationToken ct);

    /// <summary>Calls of these accounts not ended whose last raw event was received before <paramref name="before"/> (the sweeper's).</summary>
    Task<IReadOnlyList<(string Account, string CallKey)>> OpenCallsIdleSinceAsync(
        IReadOnlyCollection<string> accounts, DateTimeOffset before, int limit, CancellationToken ct);

    /// <summary>The deliveries of the call's events to every subscription, in the order they were created.</summary>
    Task<IReadOnlyList<(string SubscriptionId, DeliveryView Delivery)>> CallDeliveriesAsync(string callId, CancellationToken ct);
}

/// <param name="LastReceivedAt">When the last accepted request arrived; null when none has (only quarantined ones).</param>
internal sealed record AccountActivity(string Account, DateTimeOffset? LastReceivedAt, int Quarantined);

/// <summary>A page of quarantined requests; <paramref name="AfterSeq"/> continues below the last one of the previous page.</summary>
internal sealed record QuarantineQuery(
    string? Account, DateTimeOffset? Since, DateTimeOffset? Until, string? ReasonContains, long? AfterSeq, int Limit)
{
    public string? Provider { get; init; }
}

internal static class CallQueriesExtensions
{
    /// <summary>Every call the query matches, newest first, read a page at a time.</summary>
    public static async IAsyncEnumerable<CallRecord> AllAsync(
        this ICallQueries queries, CallQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int pageSize = 1000;
        var page = query with { Limit = pageSize };
        while (true)
        {
            var calls = await queries.ListAsync(page, ct);
            foreach (var call in calls)
            {
                yield return call;
            }

            if (calls.Count < pageSize)
            {
                yield break;
            }

            page = page with { After = (calls[^1].StartedAt, calls[^1].Id) };
        }
    }
}
