using System.Text;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Providers.Sipuni;
using PbxHub.Simulation;

namespace PbxHub.Tests.Simulation;

/// <summary>Runs generated requests through the real Sipuni adapter and call fold, as the hub does.</summary>
internal static class SipuniFolding
{
    public static Account Account => Infrastructure.Sipuni.Account;

    public static readonly DateTimeOffset Now = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private static SipuniAdapter Adapter => Infrastructure.Sipuni.Adapter;

    public static RawRequest ToRaw(HookRequest request) => request.Method == "GET"
        ? new RawRequest("GET", null, request.Encoded, [], new Dictionary<string, string>(), Now)
        : new RawRequest("POST", "application/x-www-form-urlencoded", "", Encoding.UTF8.GetBytes(request.Encoded), new Dictionary<string, string>(), Now);

    public static HookParse.Parsed Parse(HookRequest request) =>
        Adapter.Parse(Account, ToRaw(request)) as HookParse.Parsed
        ?? throw new InvalidOperationException("not parsed: " + request.Encoded);

    public static CallRecord Fold(string providerCallId, IEnumerable<HookRequest> requests, bool timedOut = false)
    {
        var signals = new List<CallSignal>();
        foreach (var request in requests)
        {
            var parsed = Parse(request);
            Assert.Equal(providerCallId, parsed.CallKey);
            signals.AddRange(parsed.Signals);
        }

        if (timedOut)
        {
            signals.Add(new TimedOut(Now.AddHours(5)));
        }

        var identity = new CallIdentity(StableIds.CallId(Account.Id, providerCallId), Account.Id, "sipuni", providerCallId, Now);
        return CallFold.Fold(identity, signals) ?? throw new InvalidOperationException("no record");
    }

    public static IEnumerable<HookRequest> Expand(PlannedCall planned) =>
        planned.Deliveries.SelectMany(d => d.Twice ? new[] { d.Request, d.Request } : [d.Request]);
}
