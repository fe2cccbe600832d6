using PbxHub.Bench.Traffic;
using PbxHub.Calls;
using PbxHub.Simulation;

namespace PbxHub.Bench.Freshness;

/// <summary>One Sipuni request that starts a new call, with the id the hub gives that call.</summary>
internal sealed record NewCall(HookRequest Request, string CallId);

/// <summary>
/// Sipuni GETs, each the event 1 of a new call (as <c>durable</c>'s <c>sipuni-new</c> pool), made beforehand so the
/// open loop only sends; each call's id computed as the hub computes it (account <c>demo</c> + Sipuni's <c>call_id</c>).
/// </summary>
internal static class NewCalls
{
    public static NewCall[] Make(int count, int seed, long epoch)
    {
        var traffic = new ProviderTraffic(BenchProvider.Sipuni, seed, epoch);
        var calls = new NewCall[count];
        string? last = null;
        for (var written = 0; written < count;)
        {
            var request = traffic.Next();
            var providerCallId = request.Get("call_id") ?? throw new InvalidOperationException("a Sipuni request without call_id");
            if (providerCallId == last)
            {
                continue;
            }

            last = providerCallId;
            calls[written++] = new NewCall(request, StableIds.CallId("demo", providerCallId));
        }

        return calls;
    }
}
