using System.Net;
using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Providers.Evrotel;
using static PbxHub.IntegrationTests.Infrastructure.SipuniHooks;

namespace PbxHub.IntegrationTests.Api;

public sealed class StatsTests
{
    private const long T = 1_700_000_000; // 2023-11-14T22:13:20Z, 01:13 the next day in Moscow
    private const string Line = "84951234567";

    [Fact]
    public async Task Stats_ByHourInAccountZoneAndByParty_CountsRatesAndDistributions()
    {
        await using var hub = await HubServer.StartAsync();
        await hub.Client.SendHooksAsync(hub.HookPath, AnsweredInbound("s1", "89031111111", Line, "101", T, wait: 5, talk: 30));
        await hub.Client.SendHooksAsync(hub.HookPath, AnsweredInbound("s2", "89032222222", Line, "102", T + 3600, wait: 10, talk: 60));
        await hub.Client.SendHooksAsync(hub.HookPath, MissedInbound("s3", "89033333333", Line, "101", T + 60, ring: 20));

        using var hourly = await hub.Client.GetJsonAsync("/api/v1/stats?account=demo&by=hour");
        var total = hourly.RootElement.GetProperty("total");
        Assert.Equal((3, 2, 1, 0.6667), (Int(total, "calls"), Int(total, "answered"), Int(total, "missed"), total.GetProperty("answerRate").GetDouble()));
        Assert.Equal((11.67, 10, 20, 20), Dist(total.GetProperty("wait")));
        Assert.Equal((45.0, 30, 60, 60), Dist(total.GetProperty("talk")));
        Assert.Equal("Europe/Moscow", hourly.RootElement.GetProperty("timeZone").GetString());
        Assert.Equal(
            [("2023-11-15T01", 2), ("2023-11-15T02", 1)],
            hourly.RootElement.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("key").GetString(), Int(g, "calls"))));

        using var daily = await hub.Client.GetJsonAsync("/api/v1/stats?by=day&timeZone=UTC");
        var day = Assert.Single(daily.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal(("2023-11-14", 3), (day.GetProperty("key").GetString(), Int(day, "calls")));

        using var parties = await hub.Client.GetJsonAsync("/api/v1/stats?by=party");
        var byParty = parties.RootElement.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal((2, 1, 1, 30), (Int(byParty["101"], "legs"), Int(byParty["101"], "missedLegs"), Int(byParty["101"], "answered"), Int(byParty["101"], "talkSeconds")));
        Assert.Equal((1, 0, 1, 60), (Int(byParty["102"], "legs"), Int(byParty["102"], "missedLegs"), Int(byParty["102"], "answered"), Int(byParty["102"], "talkSeconds")));
    }

    [Fact]
    public async Task Stats_ByPartyWithTransferOutboundAndOpenCall_EmployeesOnlyEachWithTheirOwnPart()
    {
        await using var hub = await HubServer.StartAsync();
        // The spec's transferred call: 101 answers after 10 s, hands it to 102, who talks from 12:00:30 to 12:00:50.
        var transfer = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sipuni-transfer-example.txt"))
            .Where(line => line.Length > 0).Select(line => line[(line.IndexOf('?', StringComparison.Ordinal) + 1)..]);
        await hub.Client.SendHooksAsync(hub.HookPath, transfer);
        // 101 calls a client, who answers after 10 s and talks 60 s; a call missed on 101; a call still ringing 103.
        await hub.Client.SendHooksAsync(hub.HookPath, [
            OutboundStart("out", "101", "89031111111", T),
            OutboundHangUp("out", "101", "89031111111", "ANSWER", T, T + 10, T + 70),
        ]);
        await hub.Client.SendHooksAsync(hub.HookPath, MissedInbound("missed", "89032222222", Line, "101", T + 100, ring: 20));
        await hub.Client.SendHooksAsync(hub.HookPath, [Arrival("open", "89033333333", Line, T + 200), Ring("open", "89033333333", "103", T + 200)]);

        using var stats = await hub.Client.GetJsonAsync("/api/v1/stats?by=party");

        var rows = stats.RootElement.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal(["101", "102", "103"], rows.Keys);
        var e101 = rows["101"];
        Assert.Equal((3, 3, 2, 1, 0.6667), (Int(e101, "calls"), Int(e101, "ended"), Int(e101, "answered"), Int(e101, "missed"), e101.GetProperty("answerRate").GetDouble()));
        Assert.Equal((2, 1, 30 + 60), (Int(e101, "legs"), Int(e101, "missedLegs"), Int(e101, "talkSeconds")));
        Assert.Equal((2, 1, 1), (Int(e101.GetProperty("inbound"), "calls"), Int(e101.GetProperty("inbound"), "answered"), Int(e101.GetProperty("inbound"), "unanswered")));
        Assert.Equal((1, 1, 10), (Int(e101.GetProperty("outbound"), "calls"), Int(e101.GetProperty("outbound"), "answered"), Int(e101.GetProperty("outbound").GetProperty("wait"), "max")));
        var e102 = rows["102"];
        Assert.Equal((1, 1, 1, 0, 1.0, 20), (Int(e102, "calls"), Int(e102, "ended"), Int(e102, "answered"), Int(e102, "missed"), e102.GetProperty("answerRate").GetDouble(), Int(e102, "talkSeconds")));
        Assert.Equal(10, Int(e102.GetProperty("wait"), "max")); // rung at 12:00:20, answered at 12:00:30
        var e103 = rows["103"];
        Assert.Equal((1, 0, 0, 0, 0), (Int(e103, "calls"), Int(e103, "ended"), Int(e103, "answered"), Int(e103, "legs"), Int(e103, "missedLegs")));
        Assert.Equal(JsonValueKind.Null, e103.GetProperty("answerRate").ValueKind);
        var total = stats.RootElement.GetProperty("total");
        Assert.Equal((4, 3, 2, 1), (Int(total, "calls"), Int(total, "ended"), Int(total, "answered"), Int(total, "missed")));
    }

    [Fact]
    public async Task Stats_WithoutAccount_HoursInTheZoneAllAccountsShareElseUtcAndNamed()
    {
        await using var shared = await HubServer.StartAsync();
        await using var mixed = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = "kyiv-hooktype",
            ["PbxHub:Accounts:1:Provider"] = "hooktype",
            ["PbxHub:Accounts:1:Secret"] = "kyiv-hooktype-secret-0123",
            ["PbxHub:Accounts:1:TimeZone"] = "Europe/Kyiv",
        });
        foreach (var hub in new[] { shared, mixed })
        {
            await hub.Client.SendHooksAsync(hub.HookPath, AnsweredInbound("s1", "89031111111", Line, "101", T));
        }

        using var moscow = await shared.Client.GetJsonAsync("/api/v1/stats?by=hour");
        using var utc = await mixed.Client.GetJsonAsync("/api/v1/stats?by=hour");

        Assert.Equal(("Europe/Moscow", "2023-11-15T01"), (moscow.RootElement.GetProperty("timeZone").GetString(), moscow.RootElement.GetProperty("groups")[0].GetProperty("key").GetString()));
        Assert.Equal(("UTC", "2023-11-14T22"), (utc.RootElement.GetProperty("timeZone").GetString(), utc.RootElement.GetProperty("groups")[0].GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Stats_ByPartyEvrotelWithoutLegs_OnlyTheExtensionThatPlacedACall()
    {
        await using var hub = await EvrotelHub.StartAsync();
        // The specification's inbound call (who took it is not sent), then extension 101 calls the same client back.
        var (_, inbound) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"));
        await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("end.json").Replace("\"123456789\"", $"\"{inbound}\"", StringComparison.Ordinal));
        var (_, outbound) = await EvrotelHub.PostAsync(hub, "callstatus=start&calldate=2018-04-01+00%3A10%3A00&numberA=101&numberB=0987858227&direction=o");
        await EvrotelHub.PostAsync(hub, $"callstatus=end&calldate=2018-04-01+00%3A11%3A00&numberA=101&numberB=0987858227&callid={outbound}&direction=o&billsec=50&disposition=ANSWERED");

        using var stats = await hub.Client.GetJsonAsync($"/api/v1/stats?by=party&account={EvrotelHub.AccountId}");

        var row = Assert.Single(stats.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal(("101", 1, 1, 0), (row.GetProperty("key").GetString(), Int(row.GetProperty("outbound"), "answered"), Int(row, "calls"), Int(row.GetProperty("inbound"), "calls")));
        Assert.Equal((2, 2), (Int(stats.RootElement.GetProperty("total"), "calls"), Int(stats.RootElement.GetProperty("total"), "answered")));
        Assert.Equal("Europe/Kyiv", stats.RootElement.GetProperty("timeZone").GetString());
    }

    [Theory]
    [InlineData("by=week", "by")]
    [InlineData("timeZone=Mars/Olympus", "timeZone")]
    public async Task Stats_BadParameter_ValidationProblemNamingIt(string query, string parameter)
    {
        await using var hub = await HubServer.StartAsync();

        using var response = await hub.Client.GetAsync("/api/v1/stats?" + query);

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    private static (double, int, int, int) Dist(JsonElement d) =>
        (d.GetProperty("average").GetDouble(), Int(d, "p50"), Int(d, "p90"), Int(d, "max"));
}
