using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
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
        // What a crash between the acknowledgement and the fold leaves: raw events past the folded position.
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(data, "pbxhub.db")};Pooling=false"))
        {
            await db.OpenAsync();
            foreach (var (query, dedupe) in new[]
            {
                ("event=1&is_inner_call=1&call_id=rec1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000000", "a"),
                ("event=3&call_id=rec1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000004", "b"),
            })
            {
                var insert = db.CreateCommand();
                insert.CommandText = """
                    INSERT INTO raw_events (account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers, reason)
                    VALUES ('demo', 'sipuni', 'hook', 'rec1', $dedupe, $received, 'GET', NULL, $query, x'', '{}', NULL)
                    """;
                insert.Parameters.AddWithValue("$dedupe", dedupe);
                insert.Parameters.AddWithValue("$received", TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$query", query);
                await insert.ExecuteNonQueryAsync();
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
