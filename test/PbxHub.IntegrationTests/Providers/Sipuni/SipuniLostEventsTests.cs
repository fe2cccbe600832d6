using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Infrastructure.SipuniHooks;

namespace PbxHub.IntegrationTests.Providers.Sipuni;

/// <summary>
/// Sipuni calls with events lost on the way, sent over HTTP in any order and repeated, built from the document's transfer
/// example (its call id, caller, line and times): the served record says what happened (docs/providers/sipuni.md).
/// </summary>
public sealed class SipuniLostEventsTests
{
    private const string CallId = "1419783130.15593";
    private const string Caller = "8955555555";
    private const long T = 1378296000;

    private static readonly string[] ExampleQueries = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sipuni-transfer-example.txt"))
        .Where(line => line.Length > 0).Select(line => line[(line.IndexOf('?', StringComparison.Ordinal) + 1)..]).ToArray();

    private static string CallUrl => $"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, CallId)}";

    [Fact]
    public async Task Hooks_TransferExampleWithoutItsSecondaryHangUpReversedAndRepeated_EndsAtTheFinalHangUp()
    {
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string> { ["PbxHub:Recordings:Enabled"] = "false" });
        var withoutEvent4 = ExampleQueries.Where(q => !q.StartsWith("event=4", StringComparison.Ordinal)).Reverse().ToList();
        await SendTwiceAsync(hub, withoutEvent4);

        using var doc = await hub.Client.GetJsonAsync(CallUrl);
        var call = doc.RootElement;
        Assert.Equal(("ended", "answered", false), (call.Str("state"), call.Str("outcome"), call.GetProperty("incomplete").GetBoolean()));
        Assert.Equal(("2013-09-04T12:00:10Z", "2013-09-04T12:00:50Z"), (call.Str("answeredAt"), call.Str("endedAt")));
        Assert.Equal(("101", "102"), (call.GetProperty("answeredBy").Str("extension"), call.GetProperty("endedWith").Str("extension")));
        Assert.All(call.GetProperty("legs").EnumerateArray(), l => Assert.Equal(("answered", "2013-09-04T12:00:50Z"), (l.Str("outcome"), l.Str("endedAt"))));
        var transfer = Assert.Single(call.GetProperty("transfers").EnumerateArray());
        Assert.Equal(("101", "102"), (transfer.GetProperty("from").Str("extension"), transfer.GetProperty("to").Str("extension")));
    }

    [Theory]
    [InlineData("+74953887274")]
    [InlineData("74953887274")]
    public async Task Hooks_LineArrivalAndAnswerLost_LineHangUpEndsTheCallAnsweredByTheEmployee(string line)
    {
        await using var hub = await HubServer.StartAsync();
        await SendTwiceAsync(hub, [
            LineHangUp(line, "ANSWER", T + 8, T + 50), HangUp(CallId, Caller, "102", "ANSWER", T, T + 8, T + 50), Ring(CallId, Caller, "102", T),
        ]);

        using var doc = await hub.Client.GetJsonAsync(CallUrl);
        var call = doc.RootElement;
        Assert.Equal(("ended", "answered", false), (call.Str("state"), call.Str("outcome"), call.GetProperty("incomplete").GetBoolean()));
        Assert.Equal(("2013-09-04T12:00:08Z", 8, 42), (call.Str("answeredAt"), call.GetProperty("waitSeconds").GetInt32(), call.GetProperty("talkSeconds").GetInt32()));
        Assert.Equal(("102", "102"), (call.GetProperty("answeredBy").Str("extension"), call.GetProperty("endedWith").Str("extension")));
        Assert.Equal("+74953887274", call.GetProperty("line").Str("number"));
        var leg = Assert.Single(call.GetProperty("legs").EnumerateArray());
        Assert.Equal(("102", "answered"), (leg.GetProperty("party").Str("extension"), leg.Str("outcome")));
    }

    /// <summary>The company line's own event 2: external caller, external destination.</summary>
    private static string LineHangUp(string line, string status, long answer, long at) => Encode(
        ("event", "2"), ("call_id", CallId), ("src_num", Caller), ("src_type", "1"), ("dst_num", line), ("dst_type", "1"),
        ("call_start_timestamp", Ts(T)), ("call_answer_timestamp", Ts(answer)), ("timestamp", Ts(at)), ("status", status));

    /// <summary>Each request twice (a retry), the first by GET and the repeat by POST.</summary>
    private static async Task SendTwiceAsync(HubServer hub, IEnumerable<string> queries)
    {
        foreach (var fields in queries)
        {
            foreach (var post in (bool[])[false, true])
            {
                using var response = await hub.Client.SendHookAsync(hub.HookPath, fields, post);
                await HttpJson.AssertSipuniSuccessAsync(response, fields);
            }
        }
    }
}
