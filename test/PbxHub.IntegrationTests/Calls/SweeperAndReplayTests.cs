using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Calls;

public sealed class SweeperAndReplayTests
{
    private const string Ring = "event=1&is_inner_call=1&call_id=sw1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=";
    private const string HangUp = "event=2&call_id=sw1&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&status=CANCEL&call_answer_timestamp=0&call_start_timestamp=";

    [Fact]
    public async Task Sweeper_CallWithoutEnd_ClosedIncompleteThenCorrectedByLateEnd()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var hub = await HubServer.StartAsync(
            new Dictionary<string, string> { ["PbxHub:Calls:SweepInterval"] = "00:00:10" },
            b => b.Services.AddSingleton<TimeProvider>(time));
        var start = time.GetUtcNow().ToUnixTimeSeconds();
        (await hub.Client.GetAsync($"{hub.HookPath}?{Ring}{start}")).EnsureSuccessStatusCode();
        var id = StableIds.CallId(HubServer.AccountId, "sw1");

        // A minute before the 4 h open-call timeout, a sweep as of that moment (what the timer runs) leaves the call open.
        time.Advance(TimeSpan.FromHours(4) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await hub.Services.GetRequiredService<CallSweeper>().SweepAsync(default));
        Assert.Equal("ringing", (await GetCallAsync(hub, id)).GetProperty("state").GetString());

        // Past it, the hub's own timer closes the call.
        time.Advance(TimeSpan.FromMinutes(2));
        var closed = await WaitForAsync(hub, id, c => c.GetProperty("state").GetString() == "ended");
        Assert.Equal("unknown", closed.GetProperty("outcome").GetString());
        Assert.True(closed.GetProperty("incomplete").GetBoolean());

        (await hub.Client.GetAsync($"{hub.HookPath}?{HangUp}{start}&timestamp={start + 25}")).EnsureSuccessStatusCode();
        var corrected = await GetCallAsync(hub, id);
        Assert.Equal("missed", corrected.GetProperty("outcome").GetString());
        Assert.False(corrected.GetProperty("incomplete").GetBoolean());
        Assert.Equal(25, corrected.GetProperty("waitSeconds").GetInt32());
    }

    [Fact]
    public async Task Sweep_CallsOfRemovedAccount_LeftOutAndOthersClosed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var hub = await HubServer.StartAsync(
            new Dictionary<string, string> { ["PbxHub:Calls:SweepInterval"] = "1.00:00:00" },
            b => b.Services.AddSingleton<TimeProvider>(time));
        (await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "gone", provider = "sipuni", secret = "gone-secret-1" })).EnsureSuccessStatusCode();
        var start = time.GetUtcNow().ToUnixTimeSeconds();
        (await hub.Client.GetAsync($"/hooks/gone/gone-secret-1?{Ring}{start}")).EnsureSuccessStatusCode();
        (await hub.Client.GetAsync($"{hub.HookPath}?{Ring}{start}")).EnsureSuccessStatusCode();
        (await hub.Client.DeleteAsync("/api/v1/accounts/gone")).EnsureSuccessStatusCode();

        time.Advance(TimeSpan.FromHours(5));
        var closed = await hub.Services.GetRequiredService<CallSweeper>().SweepAsync(default);

        Assert.Equal(1, closed);
        Assert.True((await GetCallAsync(hub, StableIds.CallId(HubServer.AccountId, "sw1"))).GetProperty("incomplete").GetBoolean());
    }

    [Fact]
    public async Task Replay_StoredRawEvents_SameRecordsAndNoNewEvents()
    {
        await using var hub = await HubServer.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            (await hub.Client.GetAsync($"{hub.HookPath}?{Ring.Replace("sw1", $"rp{i}", StringComparison.Ordinal)}1700000000")).EnsureSuccessStatusCode();
            if (i % 2 == 0)
            {
                (await hub.Client.GetAsync($"{hub.HookPath}?{HangUp.Replace("sw1", $"rp{i}", StringComparison.Ordinal)}1700000000&timestamp=1700000020")).EnsureSuccessStatusCode();
            }
        }

        var before = await hub.Client.GetStringAsync("/api/v1/calls");
        var summary = await hub.Services.GetRequiredService<Replayer>().ReplayAsync(null, default);

        Assert.Equal(5, summary.Calls);
        Assert.Equal(0, summary.NewEvents);
        Assert.Equal(before, await hub.Client.GetStringAsync("/api/v1/calls"));
    }

    [Fact]
    public async Task Replay_QuarantinedRequestThatParsesNow_JoinsItsCall()
    {
        await using var hub = await HubServer.StartAsync();
        (await hub.Client.GetAsync($"{hub.HookPath}?{Ring}1700000000")).EnsureSuccessStatusCode();
        // A request quarantined by an older version of the adapter, which the current one understands.
        await using (var db = await TestStorage.OpenAsync(hub.DataDirectory))
        {
            await db.ExecuteAsync(
                """
                INSERT INTO raw_events (account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers, reason)
                VALUES ('demo', 'sipuni', 'quarantined', NULL, 'raw:old', 1700000100000, 'GET', NULL, @query, @body, '{}', 'older parser')
                """,
                new { query = $"{HangUp}1700000000&timestamp=1700000030", body = Array.Empty<byte>() });
        }

        var summary = await hub.Services.GetRequiredService<Replayer>().ReplayAsync(null, default);
        var call = await GetCallAsync(hub, StableIds.CallId(HubServer.AccountId, "sw1"));

        Assert.Equal((1, 0), (summary.Recovered, summary.StillQuarantined));
        Assert.Equal("missed", call.GetProperty("outcome").GetString());
        Assert.Equal(30, call.GetProperty("waitSeconds").GetInt32());
    }

    private static async Task<JsonElement> GetCallAsync(HubServer hub, string id) =>
        await hub.Client.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{id}");

    private static async Task<JsonElement> WaitForAsync(HubServer hub, string id, Func<JsonElement, bool> done)
    {
        for (var i = 0; i < 100; i++)
        {
            var call = await GetCallAsync(hub, id);
            if (done(call))
            {
                return call;
            }

            await Task.Delay(100);
        }

        return await GetCallAsync(hub, id);
    }
}
