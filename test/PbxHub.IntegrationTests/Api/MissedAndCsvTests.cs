using System.Net;
using System.Text;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Providers.HookType;
using static PbxHub.IntegrationTests.Infrastructure.SipuniHooks;

namespace PbxHub.IntegrationTests.Api;

public sealed class MissedAndCsvTests
{
    private const long T = 1_700_000_000;
    private const string Line = "84951234567";

    [Fact]
    public async Task Missed_Unreturned_OnlyCallersNobodyTalkedToSince()
    {
        await using var hub = await HubServer.StartAsync();
        // 1: missed, then called back (outbound answered) in another shape of the number → returned.
        await hub.Client.SendHooksAsync(hub.HookPath, MissedInbound("m-back", "89031111111", Line, "101", T));
        await hub.Client.SendHooksAsync(hub.HookPath, [
            OutboundStart("o-back", "101", "+79031111111", T + 600),
            Encode(("event", "3"), ("call_id", "o-back"), ("src_num", "012345101"), ("src_type", "2"), ("dst_num", "+79031111111"), ("dst_type", "1"), ("timestamp", Ts(T + 605))),
            OutboundHangUp("o-back", "101", "+79031111111", "ANSWER", T + 600, T + 605, T + 700),
        ]);
        // 2: missed, then the caller rang again and was answered → returned.
        await hub.Client.SendHooksAsync(hub.HookPath, MissedInbound("m-again", "89032222222", Line, "101", T + 10));
        await hub.Client.SendHooksAsync(hub.HookPath, AnsweredInbound("a-again", "79032222222", Line, "102", T + 900));
        // 3: missed, the callback was busy → still unreturned; 4: answered before the miss does not count.
        await hub.Client.SendHooksAsync(hub.HookPath, MissedInbound("m-open", "89033333333", Line, "101", T + 20));
        await hub.Client.SendHooksAsync(hub.HookPath, [
            OutboundStart("o-busy", "101", "89033333333", T + 800),
            OutboundHangUp("o-busy", "101", "89033333333", "BUSY", T + 800, 0, T + 805),
        ]);
        await hub.Client.SendHooksAsync(hub.HookPath, AnsweredInbound("a-before", "89034444444", Line, "101", T - 900));
        await hub.Client.SendHooksAsync(hub.HookPath, MissedInbound("m-after", "89034444444", Line, "101", T + 30));

        var all = await MissedIdsAsync(hub, "");
        var unreturned = await MissedIdsAsync(hub, "?unreturned=true");

        Assert.Equal(["m-after", "m-open", "m-again", "m-back"], all);
        Assert.Equal(["m-after", "m-open"], unreturned);
        using var bad = await hub.Client.GetAsync("/api/v1/calls/missed?unreturned=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Missed_UnreturnedCalledBackThroughAnotherAccount_ReturnedUnlessThatAccountIsLeftOut()
    {
        await using var hub = await HookTypeHub.StartAsync();
        // The spec's MissedIncCall (HookType): 9582412128 was missed at 2021-01-28T15:34:51Z.
        await hub.PostAcceptedAsync(HookTypeHub.Example("MissedIncCall"));
        // 101 calls the client back through the company's Sipuni account 25 minutes later, and the client answers.
        const long back = 1_611_849_600; // 2021-01-28T16:00:00Z
        await hub.Client.SendHooksAsync(hub.HookPath, [
            OutboundStart("o-back", "101", "89582412128", back),
            Encode(("event", "3"), ("call_id", "o-back"), ("src_num", "012345101"), ("src_type", "2"), ("dst_num", "89582412128"), ("dst_type", "1"), ("timestamp", Ts(back + 5))),
            OutboundHangUp("o-back", "101", "89582412128", "ANSWER", back, back + 5, back + 65),
        ]);
        const string Missed = "391cb39b-2658-4bcb-b4de-6b1fd4a2ed70";

        Assert.Equal([Missed], await MissedIdsAsync(hub, ""));
        Assert.Empty(await MissedIdsAsync(hub, "?unreturned=true"));
        Assert.Empty(await MissedIdsAsync(hub, $"?unreturned=true&account={HookTypeHub.AccountId}"));
        Assert.Empty(await MissedIdsAsync(hub, $"?unreturned=true&returnedVia={HookTypeHub.AccountId},demo"));
        Assert.Equal([Missed], await MissedIdsAsync(hub, $"?unreturned=true&returnedVia={HookTypeHub.AccountId}"));
        using var unknown = await hub.Client.GetAsync("/api/v1/calls/missed?unreturned=true&returnedVia=nobody");
        using var problem = await HttpJson.AssertProblemAsync(unknown, HttpStatusCode.BadRequest);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("returnedVia", out _));
    }

    [Fact]
    public async Task Csv_WithFilter_EveryMatchingCallAsRfc4180Rows()
    {
        await using var hub = await HubServer.StartAsync();
        for (var i = 0; i < 1005; i++)
        {
            // More than one internal page of 1000, one request each (an arrival alone is a ringing call).
            using var response = await hub.Client.SendHookAsync(hub.HookPath, Arrival($"csv{i}", "89035555555", Line, T + i));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await hub.Client.SendHooksAsync(hub.HookPath, [
            .. MissedInbound("csv-missed", "8 (903) 666-66-66", Line, "101", T + 5000)[..2],
            Encode(("event", "2"), ("call_id", "csv-missed"), ("src_num", "8 (903) 666-66-66"), ("src_type", "1"), ("dst_num", "012345101"),
                ("dst_type", "2"), ("call_start_timestamp", Ts(T + 5000)), ("call_answer_timestamp", "0"), ("timestamp", Ts(T + 5020)),
                ("status", "NOANSWER"), ("call_record_link", "http://rec.example/a,\"b\".wav")),
        ]);

        using var csv = await hub.Client.GetAsync("/api/v1/calls.csv?number=89035555555");
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n".ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType?.ToString());
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.StartsWith("id,account,provider,providerCallId,direction,state,outcome,startedAt", lines[0], StringComparison.Ordinal);
        Assert.Equal(1006, lines.Length);
        Assert.Equal(1005, lines.Skip(1).Select(l => l.Split(',')[3]).Distinct().Count());

        using var missed = await hub.Client.GetAsync("/api/v1/calls.csv?outcome=missed");
        var missedLines = (await missed.Content.ReadAsStringAsync()).Split("\r\n".ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        var row = Assert.Single(missedLines.Skip(1));
        Assert.Contains(",8 (903) 666-66-66,+79036666666,", row, StringComparison.Ordinal);
        Assert.Contains(",\"http://rec.example/a,\"\"b\"\".wav\",NOANSWER,false", row, StringComparison.Ordinal);
        Assert.Contains(",missed,2023-11-14T23:36:40Z,", row, StringComparison.Ordinal);

        using var invalid = await hub.Client.GetAsync("/api/v1/calls.csv?direction=sideways");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<List<string>> MissedIdsAsync(HubServer hub, string query)
    {
        using var page = await hub.Client.GetJsonAsync("/api/v1/calls/missed" + query);
        return page.RootElement.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("providerCallId").GetString()!).ToList();
    }
}
