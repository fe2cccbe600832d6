using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Infrastructure.SipuniHooks;

namespace PbxHub.IntegrationTests.Calls;

public sealed class SweeperAnsweredCallTests
{
    [Fact]
    public async Task Sweep_AnsweredCallWhoseEndNeverCame_AnsweredIncompleteAndCountedAnswered()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var hub = await HubServer.StartAsync(
            new Dictionary<string, string> { ["PbxHub:Calls:SweepInterval"] = "1.00:00:00" },
            b => b.Services.AddSingleton<TimeProvider>(time));
        var start = time.GetUtcNow().ToUnixTimeSeconds();
        // An answered call whose event 2 never comes: arrival, ring and answer only.
        await hub.Client.SendHooksAsync(hub.HookPath, AnsweredInbound("swa", "89031111111", "84951234567", "101", start, wait: 7)[..3]);

        time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(1, await hub.Services.GetRequiredService<CallSweeper>().SweepAsync(default));

        var call = await hub.Client.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "swa")}");
        Assert.Equal(("ended", "answered", true), (call.GetProperty("state").GetString(), call.GetProperty("outcome").GetString(), call.GetProperty("incomplete").GetBoolean()));
        Assert.Equal(("101", 7), (call.GetProperty("answeredBy").GetProperty("extension").GetString(), call.GetProperty("waitSeconds").GetInt32()));
        using var stats = await hub.Client.GetJsonAsync("/api/v1/stats?account=demo");
        var total = stats.RootElement.GetProperty("total");
        Assert.Equal((1, 1, 0), (total.GetProperty("calls").GetInt32(), total.GetProperty("answered").GetInt32(), total.GetProperty("missed").GetInt32()));
    }
}
