using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Ingest;

/// <summary>Sipuni's own example ("Прямой вызов с переводом", docs/call-record.md): seven URLs of one transferred call.</summary>
public sealed class TransferExampleTests
{
    private const string ProviderCallId = "1419783130.15593";

    /// <summary>The example's seven requests, exactly as documented (with <c>×tamp=</c> read as <c>&amp;timestamp=</c>).</summary>
    private static readonly string[] ExampleQueries = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sipuni-transfer-example.txt"))
        .Where(line => line.Length > 0).Select(line => line[(line.IndexOf('?', StringComparison.Ordinal) + 1)..]).ToArray();

    private static string CallUrl => $"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, ProviderCallId)}";

    [Fact]
    public async Task SpecExample_SevenUrlsOfTransferredCall_ServeOneAnsweredInboundCallWithOneTransfer()
    {
        await using var hub = await HubServer.StartAsync();
        await hub.Client.SendHooksAsync(hub.HookPath, ExampleQueries);

        using var list = await hub.Client.GetJsonAsync("/api/v1/calls?account=demo");
        var items = list.RootElement.GetProperty("items");
        Assert.Equal(1, items.GetArrayLength());

        using var doc = await hub.Client.GetJsonAsync(CallUrl);
        var call = doc.RootElement;
        Assert.Equal(StableIds.CallId(HubServer.AccountId, ProviderCallId), call.Str("id"));
        Assert.Equal(call.Str("id"), items[0].Str("id"));
        Assert.Equal("demo", call.Str("account"));
        Assert.Equal("sipuni", call.Str("provider"));
        Assert.Equal(ProviderCallId, call.Str("providerCallId"));
        Assert.Equal("inbound", call.Str("direction"));
        Assert.Equal("ended", call.Str("state"));
        Assert.Equal("answered", call.Str("outcome"));
        Assert.Equal("2013-09-04T12:00:00Z", call.Str("startedAt"));
        Assert.Equal("2013-09-04T12:00:10Z", call.Str("answeredAt"));
        Assert.Equal("2013-09-04T12:00:50Z", call.Str("endedAt"));
        Assert.Equal(10, call.GetProperty("waitSeconds").GetInt32());
        Assert.Equal(40, call.GetProperty("talkSeconds").GetInt32());
        Assert.Equal("101", call.GetProperty("answeredBy").Str("extension"));
        Assert.Equal("102", call.GetProperty("endedWith").Str("extension"));
        Assert.Equal("8955555555", call.GetProperty("from").Str("raw"));
        Assert.Equal("+78955555555", call.GetProperty("from").Str("number"));
        Assert.Equal("+78499999999", call.GetProperty("line").Str("number"));
        Assert.Equal("ftp://myhost.info/account/frecords/354435435436.wav", call.Str("recordingUrl"));
        Assert.Equal("ANSWER", call.Str("providerResult"));
        Assert.False(call.GetProperty("incomplete").GetBoolean());

        var legs = call.GetProperty("legs").EnumerateArray().ToList();
        Assert.Equal(["101", "102"], legs.Select(l => l.GetProperty("party").Str("extension") ?? "<null>").ToArray());
        Assert.Equal("2013-09-04T12:00:00Z", legs[0].Str("startedAt"));
        Assert.Equal("2013-09-04T12:00:10Z", legs[0].Str("answeredAt"));
        Assert.Equal("2013-09-04T12:00:20Z", legs[1].Str("startedAt"));
        Assert.Equal("2013-09-04T12:00:30Z", legs[1].Str("answeredAt"));
        Assert.Equal("2013-09-04T12:00:50Z", legs[1].Str("endedAt"));

        var transfers = call.GetProperty("transfers").EnumerateArray().ToList();
        var transfer = Assert.Single(transfers);
        Assert.Equal("101", transfer.GetProperty("from").Str("extension"));
        Assert.Equal("102", transfer.GetProperty("to").Str("extension"));
    }

    [Fact]
    public async Task SpecExample_Timeline_ListsTheSevenRawEventsAndTheNormalisedEvents()
    {
        // The example's ftp link would be refused by the recordings fetcher, which adds its own row to the timeline.
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string> { ["PbxHub:Recordings:Enabled"] = "false" });
        await hub.Client.SendHooksAsync(hub.HookPath, ExampleQueries);

        using var doc = await hub.Client.GetJsonAsync(CallUrl + "/timeline");
        var raw = doc.RootElement.GetProperty("raw").EnumerateArray().ToList();
        Assert.Equal(ExampleQueries, raw.Select(r => r.Str("query") ?? "<null>").ToArray());
        Assert.All(raw, r => Assert.Equal("hook", r.Str("kind")));
        Assert.All(raw, r => Assert.Equal("GET", r.Str("method")));

        var types = doc.RootElement.GetProperty("events").EnumerateArray().Select(e => e.Str("type")!).ToList();
        string[] expected =
        [
            "call.started", "call.leg.ringing", "call.leg.ringing", "call.answered", "call.transferred",
            "call.leg.ended", "call.leg.ended", "call.recording", "call.ended",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), types.Order(StringComparer.Ordinal));
        Assert.Equal("call.started", types[0]);
        Assert.Equal("call.ended", types[^1]);
        Assert.DoesNotContain("call.missed", types);

        var events = doc.RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.All(events, e => Assert.StartsWith("evt_", e.Str("id")));
        Assert.Equal(events.Count, events.Select(e => e.Str("id")).Distinct().Count());
        Assert.All(events, e => Assert.Equal("demo", e.Str("account")));
        var occurred = events.Select(e => e.Str("occurredAt")!).ToList();
        Assert.Equal(occurred.Order(StringComparer.Ordinal), occurred);
        Assert.Equal("2013-09-04T12:00:50Z", events.Single(e => e.Str("type") == "call.ended").Str("occurredAt"));
        Assert.Equal("2013-09-04T12:00:10Z", events.Single(e => e.Str("type") == "call.answered").Str("occurredAt"));
        Assert.Equal("2013-09-04T12:00:20Z", events.Single(e => e.Str("type") == "call.transferred").Str("occurredAt"));
        Assert.Equal(
            "ftp://myhost.info/account/frecords/354435435436.wav",
            events.Single(e => e.Str("type") == "call.recording").GetProperty("call").Str("recordingUrl"));
    }

    [Fact]
    public async Task SpecExample_SentAsPostFormsInReverseOrder_ServesTheSameCall()
    {
        // The recordings fetcher would settle the example's link at a different moment on each hub.
        var noFetch = new Dictionary<string, string> { ["PbxHub:Recordings:Enabled"] = "false" };
        await using var ordered = await HubServer.StartAsync(noFetch);
        await ordered.Client.SendHooksAsync(ordered.HookPath, ExampleQueries);
        await using var reversed = await HubServer.StartAsync(noFetch);
        foreach (var fields in ExampleQueries.Reverse())
        {
            using var response = await reversed.Client.SendHookAsync(reversed.HookPath, fields, post: true);
            await HttpJson.AssertSipuniSuccessAsync(response, fields);
        }

        using var a = await ordered.Client.GetJsonAsync(CallUrl);
        using var b = await reversed.Client.GetJsonAsync(CallUrl);
        Assert.Equal(Comparable(a.RootElement), Comparable(b.RootElement));
    }

    /// <summary>The record without updatedAt (the receive time), as JSON text.</summary>
    private static string Comparable(JsonElement call)
    {
        var copy = call.EnumerateObject().Where(p => p.Name != "updatedAt").ToDictionary(p => p.Name, p => p.Value);
        return JsonSerializer.Serialize(copy);
    }
}
