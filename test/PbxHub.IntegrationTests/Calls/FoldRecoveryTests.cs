using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Calls;

public sealed class FoldRecoveryTests
{
    [Fact]
    public async Task Start_RawEventsStoredButNotFolded_FoldedBeforeTheFirstRead()
    {
        var data = Path.Combine(Path.GetTempPath(), "pbxhub-tests", Guid.NewGuid().ToString("n"));
        await (await HubServer.StartAsync(dataDirectory: data)).DisposeAsync();
        // What a crash between the acknowledgement and the fold leaves: raw events whose call is marked as left to fold.
        await using (var db = await TestStorage.OpenAsync(data))
        {
            foreach (var (query, dedupe) in new[]
            {
                ("event=1&is_inner_call=1&call_id=rec1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000000", "a"),
                ("event=3&call_id=rec1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000004", "b"),
            })
            {
                var seq = await db.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO raw_events (account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers, reason)
                    VALUES ('demo', 'sipuni', 'hook', 'rec1', @dedupe, @received, 'GET', NULL, @query, @body, '{}', NULL) RETURNING seq
                    """,
                    new { dedupe, received = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), query, body = Array.Empty<byte>() });
                // Ingest marks the call as left to fold in the same transaction as the raw event, on both engines.
                await db.ExecuteAsync(
                    "INSERT INTO fold_pending (account, call_key, max_seq) VALUES ('demo', 'rec1', @seq) ON CONFLICT (account, call_key) DO UPDATE SET max_seq = @seq",
                    new { seq });
            }
        }

        await using var hub = await HubServer.StartAsync(dataDirectory: data);
        using var response = await hub.Client.GetAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "rec1")}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("active", call.GetProperty("state").GetString());
        Assert.Equal(4, call.GetProperty("waitSeconds").GetInt32());
    }
}
