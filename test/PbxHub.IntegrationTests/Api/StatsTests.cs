using System.Net;
using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;
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
