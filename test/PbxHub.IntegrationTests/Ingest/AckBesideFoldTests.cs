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
    /// <summary>The event log's advisory lock: a fold that adds events takes it at its commit; acknowledgements never do.</summary>
    private const long EventLogLock = 5792324323354214402;

    [PostgresFact]
    public async Task Hook_AnotherCallsFoldWaitsOnTheDatabase_AcknowledgedWhileTheFoldWaits()
    {
        await using var hub = await HubServer.StartAsync();
        HttpResponseMessage second;
        long heldStillPending;
        await using (var holder = await TestStorage.OpenAsync(hub.DataDirectory))
        {
            // As another node's long transaction on the event log would: the fold of the first call waits at its commit.
            await holder.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = EventLogLock });
            using var first = await hub.Client.GetAsync($"{hub.HookPath}?{SipuniHooks.Arrival("held-1", "89031234567", "84951234567", 1_700_000_000)}");
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            await FoldWaitingAsync(holder);

            // Bounded below the fold's command timeout (30 s), after which a fold that held the writer would give way.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            second = await hub.Client.GetAsync($"{hub.HookPath}?{SipuniHooks.Arrival("free-2", "89037654321", "84951234567", 1_700_000_010)}", patience.Token);
            heldStillPending = await holder.ExecuteScalarAsync<long>("SELECT count(*) FROM fold_pending WHERE call_key = 'held-1'");
            await holder.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = EventLogLock });
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

    /// <summary>Until a session of the hub waits for an advisory lock: the fold of the first call, stuck at its commit.</summary>
    private static async Task FoldWaitingAsync(System.Data.Common.DbConnection holder)
    {
        for (var tries = 0; tries < 300; tries++)
        {
            if (await holder.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Assert.Fail("the fold of the first call never waited for the event log");
    }
}
