using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Ingest;

/// <summary>
/// On PostgreSQL folds run beside the acknowledgements (docs/storage.md, "The scheduler"): a fold that waits on the
/// database does not hold up hooks of other calls, which are acknowledged meanwhile, and folded once it is free.
/// </summary>
public sealed class AckBesideFoldTests
{
    [PostgresFact]
    public async Task Hook_AnotherCallsFoldWaitsOnTheDatabase_AcknowledgedWhileTheFoldWaits()
    {
        await using var hub = await HubServer.StartAsync();
        HttpResponseMessage second;
        long heldStillPending;
        await using (var hold = await FoldHold.StartAsync(hub))
        {
            // The fold of the first call waits at its commit.
            using var first = await hub.Client.GetAsync($"{hub.HookPath}?{SipuniHooks.Arrival("held-1", "89031234567", "84951234567", 1_700_000_000)}");
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            await hold.FoldWaitingAsync();

            // Bounded below the fold's command timeout (30 s), after which a fold that held the writer would give way.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            second = await hub.Client.GetAsync($"{hub.HookPath}?{SipuniHooks.Arrival("free-2", "89037654321", "84951234567", 1_700_000_010)}", patience.Token);
            heldStillPending = await hold.Connection.ExecuteScalarAsync<long>("SELECT count(*) FROM fold_pending WHERE call_key = 'held-1'");
            await hold.ReleaseAsync();
        }

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, heldStillPending);
        second.Dispose();
        foreach (var (callKey, from) in new[] { ("held-1", "+79031234567"), ("free-2", "+79037654321") })
        {
            using var response = await hub.Client.GetAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, callKey)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var call = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(from, call.GetProperty("from").Str("number"));
        }
    }
}
