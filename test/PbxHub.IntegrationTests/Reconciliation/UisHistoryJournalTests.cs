using System.Net;
using System.Text;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Reconciliation;

/// <summary>
/// UIS sends PbxHub no hooks: its accounts' journal comes from the Data API's history alone, read from the UIS stand-in
/// over HTTP by the hub's own reader (docs/providers/uis.md#call-history, docs/reconciliation.md).
/// </summary>
public sealed class UisHistoryJournalTests
{
    private const string Account = "acme-uis";
    private const string Token = "uis-data-api-token";

    [Fact]
    public async Task Reconcile_UisAccountWithHistoryOnly_JournalBuiltFromTheDataApiAndASecondRunAddsNothing()
    {
        await using var uis = await UisEmulator.StartAsync("http://127.0.0.1:0", new UisEmulatorOptions { AccessToken = Token }, TimeProvider.System);
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = Account,
            ["PbxHub:Accounts:1:Provider"] = "uis",
            ["PbxHub:Accounts:1:TimeZone"] = "Europe/Moscow",
            ["PbxHub:Accounts:1:Uis:DataApiUrl"] = uis.BaseUrl + "/v2.0",
            ["PbxHub:Accounts:1:Uis:AccessToken"] = Token,
        });
        var start = new DateTimeOffset(TimeProvider.System.GetUtcNow().Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).AddHours(-1);
        await AddHistoryAsync(uis,
            new HistoryCall("3114546", "inbound", "79161234567", "74951234567", "74951234567", start, start.AddSeconds(7), start.AddSeconds(67), "answered", "79031112233", null),
            new HistoryCall("3114547", "inbound", "79167654321", "74951234567", "74951234567", start.AddMinutes(5), null, start.AddMinutes(5).AddSeconds(20), "missed", null, null));

        var first = await ReconcileAsync(hub, start.AddMinutes(-10), start.AddMinutes(30));

        Assert.Equal(("succeeded", 2, 2), (first.Str("status"), first.GetProperty("seen").GetInt32(), first.GetProperty("created").GetInt32()));
        using var answered = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(Account, "3114546")}");
        var call = answered.RootElement;
        Assert.True(call.GetProperty("fromHistory").GetBoolean());
        Assert.Equal(("inbound", "ended", "answered"), (call.Str("direction"), call.Str("state"), call.Str("outcome")));
        Assert.Equal((start, 60), (call.GetProperty("startedAt").GetDateTimeOffset(), call.GetProperty("talkSeconds").GetInt32()));
        Assert.Equal(("+79161234567", "+79031112233"), (call.GetProperty("from").Str("number"), call.GetProperty("answeredBy").Str("number")));
        using var missed = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(Account, "3114547")}");
        Assert.Equal(("missed", 0), (missed.RootElement.Str("outcome"), missed.RootElement.GetProperty("talkSeconds").GetInt32()));

        var second = await ReconcileAsync(hub, start.AddMinutes(-10), start.AddMinutes(30));

        Assert.Equal((2, 0, 0, 0), (second.GetProperty("seen").GetInt32(), second.GetProperty("created").GetInt32(),
            second.GetProperty("completed").GetInt32(), second.GetProperty("differing").GetInt32()));
    }

    private static async Task<JsonElement> ReconcileAsync(HubServer hub, DateTimeOffset since, DateTimeOffset until)
    {
        using var response = await hub.Client.PostAsync(
            $"/api/v1/accounts/{Account}/reconcile?since={Uri.EscapeDataString(since.ToString("O"))}&until={Uri.EscapeDataString(until.ToString("O"))}", null);
        using var run = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, run.RootElement.ToString());
        return run.RootElement.Clone();
    }

    private static async Task AddHistoryAsync(EmulatorHost uis, params HistoryCall[] calls)
    {
        using var http = new HttpClient();
        using var content = new StringContent(JsonSerializer.Serialize(calls, new JsonSerializerOptions(JsonSerializerDefaults.Web)), Encoding.UTF8, "application/json");
        (await http.PostAsync(uis.BaseUrl + "/_emulator/history", content)).EnsureSuccessStatusCode();
    }
}
