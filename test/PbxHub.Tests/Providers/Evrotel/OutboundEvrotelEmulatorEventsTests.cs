using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PbxHub.Accounts;
using PbxHub.Providers;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Tests.Providers.Evrotel;

/// <summary>The Evrotel stand-in's call events after a click-to-call, as a receiver sees them.</summary>
public sealed class OutboundEvrotelEmulatorEventsTests
{
    [Fact]
    public async Task ClickToCall_WithHubUrl_PostsStartThenEndWithTheReceiversIdFormEncoded()
    {
        await using var receiver = await EmulatorHost.StartAsync("http://127.0.0.1:0", app => app.MapPost("/hooks/acme", async (HttpRequest r) =>
            (await r.ReadFormAsync())["callstatus"] == "start" ? Results.Text("4711") : Results.Text("ok")));
        await using var evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", new EvrotelEmulatorOptions
        {
            Token = "tok-123", BillCode = "20558", HubUrl = receiver.BaseUrl + "/hooks/acme", TalkTime = TimeSpan.FromMilliseconds(100),
        }, TimeProvider.System);
        using var harness = new OutboundHarness(TimeProvider.System);
        var account = new Account("acme", "evrotel", "", "Europe/Kyiv", "UA",
            new Dictionary<string, string> { ["Evrotel:Token"] = "tok-123", ["Evrotel:BillCode"] = "20558", ["Evrotel:BaseUrl"] = evrotel.BaseUrl },
            AccountSources.Configuration);

        var outcome = await harness.For("evrotel").PlaceCallAsync(account, new PlaceCallInput(["101"], "0679853913", []), CancellationToken.None);
        Assert.IsType<OutboundOutcome.Placed>(outcome);
        for (var i = 0; i < 100 && receiver.Requests.Count < 2; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2, receiver.Requests.Count);
        var (start, end) = (Fields(receiver.Requests[0].Body), Fields(receiver.Requests[1].Body));
        Assert.All(receiver.Requests, r => Assert.Equal("application/x-www-form-urlencoded", r.ContentType));
        Assert.All(receiver.Requests, r => Assert.Equal("tok-123", r.Authorization));
        Assert.Equal(["callstatus", "calldate", "numberA", "numberB", "direction"], start.Keys.ToArray());
        Assert.Equal(("start", "101", "0679853913", "o"), (start["callstatus"], start["numberA"], start["numberB"], start["direction"]));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", start["calldate"]);
        Assert.Equal(("end", "4711", "ANSWERED"), (end["callstatus"], end["callid"], end["disposition"]));
        Assert.Matches(@"^/wav/", end["recfile"]);
        Assert.Equal("0", end["billsec"]);
    }

    private static Dictionary<string, string> Fields(string form) => form.Split('&').Select(p => p.Split('=', 2))
        .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p[1]));
}
