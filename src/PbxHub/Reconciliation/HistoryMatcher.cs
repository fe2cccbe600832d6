using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Reconciliation;

/// <summary>
/// Which call a history row belongs to (docs/reconciliation.md): the provider's call id when the row carries the hooks'
/// one; else the one call of the account with the same client number that started within the match window; else a
/// call of its own, keyed by the row's id.
/// </summary>
internal sealed class HistoryMatcher(ICallQueries calls, IOptions<ReconciliationOptions> options)
{
    public async Task<string> CallKeyAsync(Account account, HistoryRow row, CancellationToken ct)
    {
        if (row.CallKey is { Length: > 0 } key)
        {
            return key;
        }

        // A row already made a call of its own stays with it, even once the hooks' call turned up beside it.
        var own = KeyPrefix + row.RowId;
        if (await calls.GetAsync(StableIds.CallId(account.Id, own), ct) is not null)
        {
            return own;
        }

        var window = options.Value.MatchWindow;
        var facts = row.Facts;
        var client = ClientNumber(facts.Direction, facts.From, facts.To);
        if (client is not null)
        {
            var near = await calls.ListAsync(
                new CallQuery(account.Id, facts.StartedAt - window, facts.StartedAt + window, null, null, null, null, null, null, 100), ct);
            var same = near.Where(c => ClientNumber(c.Direction, c.From, c.To) == client && !c.ProviderCallId.StartsWith(KeyPrefix, StringComparison.Ordinal)).ToList();
            if (same.Count == 1)
            {
                return same[0].ProviderCallId;
            }
        }

        return own;
    }

    /// <summary>Calls known from the history alone are keyed so; the hooks never send such an id.</summary>
    public const string KeyPrefix = "history:";

    /// <summary>The client's E.164 number: who called on an inbound call, who was called on an outbound one.</summary>
    private static string? ClientNumber(string direction, Party? from, Party? to) =>
        (direction == Directions.Outbound ? to : from)?.Number;
}
