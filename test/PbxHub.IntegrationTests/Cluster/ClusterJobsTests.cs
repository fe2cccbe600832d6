using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Storage;

namespace PbxHub.IntegrationTests.Cluster;

/// <summary>Periodic jobs (the sweeper) run on one node of a cluster at a time.</summary>
public sealed class ClusterJobsTests
{
    [PostgresFact]
    public async Task TryLead_TwoNodesOnOneDatabase_OneLeadsUntilItLetsGo()
    {
        var data = HubProcess.NewDataDirectory();
        await using var nodeA = await HubServer.StartAsync(dataDirectory: data);
        await using var nodeB = await HubServer.StartAsync(dataDirectory: data);
        var storeA = nodeA.Services.GetRequiredService<HubStore>();
        var storeB = nodeB.Services.GetRequiredService<HubStore>();

        var lead = await storeA.TryLeadAsync("test-job", default);
        Assert.NotNull(lead);
        Assert.Null(await storeB.TryLeadAsync("test-job", default));
        await using (var other = await storeB.TryLeadAsync("another-job", default))
        {
            Assert.NotNull(other);
        }

        await lead.DisposeAsync();
        await using var next = await storeB.TryLeadAsync("test-job", default);
        Assert.NotNull(next);
    }
}

public sealed class OrphanFoldTests
{
    [PostgresFact]
    public async Task IdleNode_CallStoredByANodeThatDiedBeforeFolding_FoldedWithoutARestart()
    {
        var data = HubProcess.NewDataDirectory();
        await using var survivor = await HubServer.StartAsync(
            new Dictionary<string, string> { ["PbxHub:Ingest:OrphanFoldInterval"] = "00:00:00.500" }, dataDirectory: data);

        // What a node killed between its acknowledgement and its fold leaves: the raw event and its fold_pending row.
        await using (var db = await TestStorage.OpenAsync(data))
        {
            var seq = await Dapper.SqlMapper.ExecuteScalarAsync<long>(db,
                """
                INSERT INTO raw_events (account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers, reason)
                VALUES ('demo', 'sipuni', 'hook', 'orphan1', 'o1', 1700000000000, 'GET', NULL, @query, @body, '{}', NULL) RETURNING seq
                """,
                new { query = "event=1&call_id=orphan1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000000", body = Array.Empty<byte>() });
            await Dapper.SqlMapper.ExecuteAsync(db, "INSERT INTO fold_pending (account, call_key, max_seq) VALUES ('demo', 'orphan1', @seq)", new { seq });
        }

        var call = await survivor.Client.WaitForJsonAsync(
            $"/api/v1/calls?account=demo", l => l.GetProperty("items").GetArrayLength() == 1, "the orphaned call folded by the surviving node");
        Assert.Equal("orphan1", call.GetProperty("items")[0].Str("providerCallId"));
    }
}
