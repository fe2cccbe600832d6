using System.Net;
using PbxHub.IntegrationTests.Fuzzing;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Security;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>The steps the storage-fault tests share: hooks of every provider refused for a retry, then accepted, and the log's two lines.</summary>
internal static class StorageFaultSteps
{
    public static readonly string[] Providers = ["sipuni", "hooktype", "evrotel"];

    /// <summary>Hooks 1 to <paramref name="count"/> of each provider are refused with 503 and <c>Retry-After: 5</c> in the provider's shape.</summary>
    public static async Task HooksRefusedForRetryAsync(HubServer hub, int count)
    {
        for (var n = 1; n <= count; n++)
        {
            foreach (var provider in Providers)
            {
                using var refused = await hub.Client.SendAsync(NetworkHub.Hook(provider, n));
                await NetworkHub.AssertProviderFailureAsync(provider, refused, HttpStatusCode.ServiceUnavailable);
                Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
            }
        }
    }

    /// <summary>
    /// The providers' retries of hooks 1 to <paramref name="count"/> are accepted, the node is ready, the journal holds
    /// <paramref name="calls"/> calls, and the log told of the fault once and of its end.
    /// </summary>
    public static async Task RetriesStoredAndFaultOverAsync(HubServer hub, CapturedLogs logs, int count, int calls)
    {
        for (var n = 1; n <= count; n++)
        {
            foreach (var provider in Providers)
            {
                using var again = await hub.Client.SendAsync(NetworkHub.Hook(provider, n));
                await NetworkHub.AssertAcceptedAsync(provider, again);
            }
        }

        using (var ready = await hub.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        using var journal = await hub.Client.GetJsonAsync("/api/v1/calls?limit=100");
        Assert.Equal(calls, journal.RootElement.GetProperty("items").GetArrayLength());
        Assert.Single(logs.Unhandled);
        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Storage fault over", StringComparison.Ordinal));
    }
}
