using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>
/// For a CRM that takes a call's end once (Bitrix24's finish, amoCRM's call, RetailCRM's upload): a provider's events
/// can arrive out of order (the hang-up before the answer, a leg after the end), so the end is told once the call has
/// been quiet for a while, from its record as it is then (docs/connectors.md#finish-and-late-events).
/// </summary>
internal sealed class CallSettle(ICallQueries calls, TimeProvider time)
{
    /// <summary>The call as it is now once no request of it arrived for <paramref name="settleFor"/>, else when to look again.</summary>
    public async Task<(CallRecord Call, DateTimeOffset? WaitUntil)> SettledAsync(CallRecord ended, TimeSpan settleFor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var current = await calls.GetAsync(ended.Id, ct) ?? ended;
        // updatedAt is when the call's last request arrived; one stamped ahead of this node's clock waits one window.
        var until = (current.UpdatedAt < now ? current.UpdatedAt : now) + settleFor;
        return (current, until > now ? until : null);
    }
}
