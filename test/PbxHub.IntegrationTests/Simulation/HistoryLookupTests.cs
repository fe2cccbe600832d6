using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PbxHub.Calls;
using PbxHub.Simulation;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Simulation;

/// <summary>
/// How <c>--verify</c> finds a call the history built, and the calls it built beside ours, over HTTP against an API that
/// answers as the hub's journal does (<c>items</c>, <c>nextCursor</c>, each record with <c>fromHistory</c>).
/// </summary>
public sealed class HistoryLookupTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 20, 0, 5, TimeSpan.Zero);

    private static JsonNode Call(string id, string from, bool fromHistory)
    {
        var record = new CallRecord
        {
            Id = id, Account = "demo", Provider = "sipuni", ProviderCallId = id, Direction = Directions.Inbound, State = CallStates.Ended,
            From = new Party(from, from, null), To = new Party("74951234567", "+74951234567", null), StartedAt = Start, Legs = [], Transfers = [], UpdatedAt = Start,
        };
        var node = JsonNode.Parse(CallJson.Serialize(record))!;
        node["fromHistory"] = fromHistory;
        return node;
    }

    private static IResult Page(string? next, params JsonNode[] items) =>
        Results.Text(new JsonObject { ["items"] = new JsonArray(items), ["nextCursor"] = next }.ToJsonString(), "application/json");

    [Fact]
    public async Task FindAsync_TwoCallsInTheSecond_TheOneFromTheRowsCallerAndItsFlag()
    {
        await using var api = await EmulatorHost.StartAsync("http://127.0.0.1:0", app => app.MapGet("/api/v1/calls", (HttpRequest r) =>
            r.Query["since"] == CallJson.Utc(Start) && r.Query["until"] == CallJson.Utc(Start.AddSeconds(1)) && r.Query["direction"] == "inbound"
                ? Page(null, Call("call_other", "+79161110000", true), Call("call_ours", "+79169876543", true))
                : Results.BadRequest()));
        using var http = new HttpClient();
        var row = new HistoryCall("", Directions.Inbound, "89169876543", "74951234567", "74951234567", Start, null, Start.AddSeconds(20), Outcomes.Missed, null, null);

        var found = await new HistoryLookup(http, new Uri(api.BaseUrl + "/"), "key", "demo").FindAsync(row, CancellationToken.None);

        Assert.Equal(("call_ours", true, (string?)null), (found.Record?.Id, found.FromHistory, found.Problem));
        Assert.Null((await new HistoryLookup(http, new Uri(api.BaseUrl + "/"), "key", "demo").FindAsync(row with { From = "79160000000" }, CancellationToken.None)).Record);
    }

    [Fact]
    public async Task ExtrasAsync_EveryPage_HistoryBuiltCallsNoneOfOursIs()
    {
        await using var api = await EmulatorHost.StartAsync("http://127.0.0.1:0", app => app.MapGet("/api/v1/calls", (HttpRequest r) =>
            r.Query["cursor"].ToString() == "next"
                ? Page(null, Call("call_events", "+79160000001", false), Call("call_twice", "+79160000002", true))
                : Page("next", Call("call_ours", "+79160000003", true), Call("call_made_again", "+79160000004", true))));
        using var http = new HttpClient();

        var extras = await new HistoryLookup(http, new Uri(api.BaseUrl + "/"), "key", "demo")
            .ExtrasAsync(Start, Start.AddMinutes(5), new HashSet<string> { "call_ours" }, CancellationToken.None);

        Assert.Equal(["call_made_again", "call_twice"], extras.Select(e => e.Id));
        Assert.Equal("an extra call built from the history: started 2026-12-03T20:00:05Z from +79160000004 to +74951234567", extras[0].Differences[0]);
    }
}
