using PbxHub.Calls;

namespace PbxHub.Simulation;

/// <summary>What a CRM stand-in had taken when it was read: the problems of one call with it (none: the call checks out).</summary>
internal interface ICrmTaken
{
    IEnumerable<string> Problems(ExpectedCall expected, string id);
}

/// <summary>One CRM's stand-in (<c>pbxhub emulate …</c>) as <c>pbxhub simulate</c> reads it: how to read what it took.</summary>
internal interface ICrmStandIn
{
    /// <summary>The CRM's name, as the progress shows it.</summary>
    string Name { get; }

    Task<ICrmTaken> ReadAsync(HttpClient http, Uri standIn, CancellationToken ct);
}

/// <summary>
/// <c>--bitrix24</c>, <c>--amocrm</c>, <c>--retailcrm</c>: the whole path as a user trying PbxHub sees it, up to the CRM.
/// Every simulated call that ended must reach the CRM's stand-in as the CRM keeps it (internal calls, between two
/// employees, are told to no CRM). Connectors wait for a call to settle before they tell it (docs/connectors.md), so
/// the stand-in is read again until every call checks out or <paramref name="wait"/> has passed; what still differs
/// is listed then.
/// </summary>
internal sealed class CrmVerifier(HttpClient http, Uri standIn, ICrmStandIn crm, string account, TimeSpan wait, TimeProvider time)
{
    public async Task<IReadOnlyList<CallMismatch>> VerifyAsync(IReadOnlyList<SimulatedCall> calls, CancellationToken ct)
    {
        var ended = calls.Where(c => c.Expected.State == CallStates.Ended && c.Expected.Direction != Directions.Internal && c.IdFromReply is null)
            .Select(c => (Call: c, Id: StableIds.CallId(account, c.ProviderCallId))).ToList();
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var taken = await crm.ReadAsync(http, standIn, ct);
            var mismatches = ended.Select(e => (e.Call, e.Id, Problems: taken.Problems(e.Call.Expected, e.Id).ToList()))
                .Where(e => e.Problems.Count > 0)
                .Select(e => new CallMismatch(e.Call.Scenario, e.Call.ProviderCallId, e.Id, e.Problems)).ToList();
            if (mismatches.Count == 0 || time.GetUtcNow() > deadline)
            {
                return [.. mismatches.OrderBy(m => m.ProviderCallId, StringComparer.Ordinal)];
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, ct);
        }
    }
}
