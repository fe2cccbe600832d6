using System.Text;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Providers.Evrotel;
using PbxHub.Providers.HookType;
using PbxHub.Simulation;

namespace PbxHub.Tests.Simulation;

/// <summary>
/// Runs generated requests through a real adapter and the call fold, in delivery order, as the hub and the
/// simulator's sender do together: a request that needs a reply gets the one the adapter answered, and a
/// repeated request must be answered the same.
/// </summary>
internal sealed class ProviderFolding(IProviderAdapter adapter, Account account)
{
    public const string RecordingBaseUrl = "https://records.evrotel.example/calls";

    public static readonly ProviderFolding HookType = new(
        new HookTypeAdapter(), new Account("ht", "hooktype", "secret-secret", "Europe/Moscow", "RU", new Dictionary<string, string>(), AccountSources.Configuration));

    public static readonly ProviderFolding Evrotel = new(
        new EvrotelAdapter(),
        new Account("kyiv", "evrotel", "", "Europe/Kyiv", "UA",
            new Dictionary<string, string> { [EvrotelAdapter.TokenSetting] = "G7bng65jYk8GF294", [EvrotelAdapter.RecordingBaseUrlSetting] = RecordingBaseUrl },
            AccountSources.Configuration));

    public Account Account => account;

    public ProviderFolding InZone(string zone) => new(adapter, account with { TimeZone = zone });

    public static RawRequest ToRaw(HookRequest request) => request.Body == HookBody.Query
        ? new RawRequest("GET", null, request.Encoded, [], new Dictionary<string, string>(), SipuniFolding.Now)
        : new RawRequest("POST", request.ContentType, "", Encoding.UTF8.GetBytes(request.Text), new Dictionary<string, string>(), SipuniFolding.Now);

    public HookParse.Parsed Parse(HookRequest request) =>
        adapter.Parse(account, ToRaw(request)) as HookParse.Parsed
        ?? throw new InvalidOperationException($"not parsed: {adapter.Parse(account, ToRaw(request))} from {request.Text}");

    /// <summary>The call's record from the requests in the order given, and the call with its provider id resolved.</summary>
    public (SimulatedCall Call, CallRecord Record) Fold(SimulatedCall call, IEnumerable<HookRequest> delivered)
    {
        var replies = new Dictionary<string, string>(StringComparer.Ordinal);
        var signals = new List<CallSignal>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sent in delivered)
        {
            var request = sent;
            if (request.Needs is { } needed)
            {
                Assert.True(replies.TryGetValue(needed, out var reply), $"'{needed}' was not answered before the request that needs it");
                request = request.WithReply(reply);
            }

            var parsed = Parse(request);
            keys.Add(parsed.CallKey);
            signals.AddRange(parsed.Signals);
            if (request.RepliesAs is { } name)
            {
                var reply = adapter.Accepted(account, parsed, new StoredRaw(1, false)).Body;
                Assert.Equal(replies.GetValueOrDefault(name, reply), reply);
                replies[name] = reply;
            }
        }

        var resolved = call.Resolve(replies);
        Assert.Equal(resolved.ProviderCallId, Assert.Single(keys));
        var identity = new CallIdentity(StableIds.CallId(account.Id, resolved.ProviderCallId), account.Id, account.Provider, resolved.ProviderCallId, SipuniFolding.Now);
        return (resolved, CallFold.Fold(identity, signals) ?? throw new InvalidOperationException("no record"));
    }

    public CallRecord Fold(SimulatedCall call) => Fold(call, call.Requests).Record;
}
