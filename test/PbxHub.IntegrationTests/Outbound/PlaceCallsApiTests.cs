using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Outbound;

/// <summary><c>POST /api/v1/calls</c> and <c>GET /api/v1/calls/requests</c> through a real hub to the UIS stand-in.</summary>
public sealed class PlaceCallsApiTests
{
    private static Task<EmulatorHost> StartUisAsync() => UisEmulator.StartAsync("http://127.0.0.1:0",
        new UisEmulatorOptions { Login = "bbb", Password = "bbb", ServiceNumbers = ["74993720692"] }, TimeProvider.System);

    private static int PlaceCallsSeen(EmulatorHost uis) => uis.Requests.Count(r => r.Body.Contains("\"place_calls\"", StringComparison.Ordinal));

    [Fact]
    public async Task PlaceCall_UisAccount_AnswersWhatWasAskedAndIsListedAsARequest()
    {
        await using var uis = await StartUisAsync();
        await using var hub = await OutboundHub.StartAsync(uis, null);

        using var response = await hub.Client.PostAsJsonAsync("/api/v1/calls", new { account = OutboundHub.UisAccount, @operator = "89164572521", client = "+7 495 989-16-28" });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var answer = JsonDocument.Parse(text);
        Assert.Equal("placed", answer.RootElement.Str("status"));
        Assert.Equal("uis", answer.RootElement.Str("provider"));
        var exchanges = answer.RootElement.GetProperty("exchanges");
        Assert.Equal(2, exchanges.GetArrayLength());
        var asked = exchanges[1].GetProperty("asked").GetProperty("params");
        Assert.Equal("74959891628", asked.Str("numa"));
        Assert.Equal("79164572521", asked.Str("numc"));
        Assert.Equal("***", asked.Str("session_key"));
        Assert.Contains("success", exchanges[1].Str("answered"), StringComparison.Ordinal);
        Assert.Equal(1, PlaceCallsSeen(uis));

        // "requests" is a list, not a call id.
        using var list = await hub.Client.GetJsonAsync($"/api/v1/calls/requests?account={OutboundHub.UisAccount}");
        var item = Assert.Single(list.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(answer.RootElement.Str("id"), item.Str("id"));
        Assert.Equal("+7 495 989-16-28", item.Str("client"));
        Assert.Equal("placed", item.Str("status"));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("callId").ValueKind);
    }

    [Fact]
    public async Task PlaceCall_UisLimitExceeded_Answers429ProblemWithProviderCodeMessageDataAndRemedy()
    {
        await using var uis = await StartUisAsync();
        await using var hub = await OutboundHub.StartAsync(uis, null);

        using var response = await hub.Client.PostAsJsonAsync("/api/v1/calls", new { account = OutboundHub.UisAccount, @operator = "79164572521", client = "79990032004" });

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.TooManyRequests);
        var root = problem.RootElement;
        Assert.Equal("-32004", root.Str("providerCode"));
        Assert.Equal("Limit is exceeded", root.Str("providerMessage"));
        Assert.Equal("reproduced on demand for numa 79990032004", root.Str("providerData"));
        Assert.Contains("raise the limits", root.Str("remedy"), StringComparison.Ordinal);
        Assert.False(root.GetProperty("mayHaveBeenPlaced").GetBoolean());
        using var list = await hub.Client.GetJsonAsync("/api/v1/calls/requests");
        var item = Assert.Single(list.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("failed", item.Str("status"));
        Assert.Equal("-32004", item.GetProperty("problem").Str("providerCode"));
    }

    [Fact]
    public async Task PlaceCall_UisLimitExceeded_TellsWhenToTryAgain()
    {
        await using var uis = await StartUisAsync();
        await using var hub = await OutboundHub.StartAsync(uis, null);

        using var response = await hub.Client.PostAsJsonAsync("/api/v1/calls", new { account = OutboundHub.UisAccount, @operator = "79164572521", client = "79990032004" });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task PlaceCall_InvalidOptions_Answers400NamingTheFieldAndSendsNothing()
    {
        await using var uis = await StartUisAsync();
        await using var hub = await OutboundHub.StartAsync(uis, null);

        using var response = await hub.Client.PostAsJsonAsync("/api/v1/calls", new
        {
            account = OutboundHub.UisAccount, @operator = new[] { "79164572521", "79164572522" }, client = "74959891628",
            options = new { is_queue = true },
        });

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("queue_timeout is required", problem.RootElement.GetProperty("errors").GetProperty("options.queue_timeout")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(uis.Requests);
    }

    [Fact]
    public async Task PlaceCall_UisDoesNotAnswerInTime_Answers504MayHaveBeenPlacedAndSendsOnce()
    {
        var time = FakeClock.New();
        await using var uis = await UisEmulator.StartAsync("http://127.0.0.1:0",
            new UisEmulatorOptions { Login = "bbb", Password = "bbb", ServiceNumbers = ["74993720692"], SlowDelay = TimeSpan.FromHours(1) }, time);
        await using var hub = await OutboundHub.StartAsync(uis, null, new Dictionary<string, string> { ["PbxHub:Outbound:RequestTimeout"] = "00:05:00" }, time: time);

        var posting = hub.Client.PostAsJsonAsync("/api/v1/calls", new { account = OutboundHub.UisAccount, @operator = "79164572521", client = UisEmulator.SlowClient });
        await Webhooks.WaitUntilAsync(() => PlaceCallsSeen(uis) == 1, "place_calls reached UIS");
        // Once past the 5 min timeout: a retry would wait on this clock, so the answer comes only if place_calls went once.
        time.Advance(TimeSpan.FromMinutes(5));
        if (await Task.WhenAny(posting, Task.Delay(TimeSpan.FromSeconds(30))) != posting)
        {
            for (var i = 0; i < 10 && !posting.IsCompleted; i++)
            {
                time.Advance(TimeSpan.FromHours(1)); // lets whatever still waits on the clock end before the stand-in stops
                await Task.Delay(100);
            }

            Assert.Fail($"no answer right after the timeout: place_calls was retried ({PlaceCallsSeen(uis)} seen)");
        }

        using var response = await posting;
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.GatewayTimeout);
        Assert.True(problem.RootElement.GetProperty("mayHaveBeenPlaced").GetBoolean());
        Assert.Contains("may or may not have been placed", problem.RootElement.Str("remedy"), StringComparison.Ordinal);
        Assert.Equal(1, PlaceCallsSeen(uis));
        using var list = await hub.Client.GetJsonAsync("/api/v1/calls/requests");
        Assert.Equal("uncertain", Assert.Single(list.RootElement.GetProperty("items").EnumerateArray()).Str("status"));
    }

    [Theory]
    [InlineData("/api/v1/calls", "click-to-call")]
    public async Task PlaceCall_SipuniAccount_Answers422ProblemNamingTheProviders(string url, string what)
    {
        await using var hub = await HubServer.StartAsync();

        using var response = await hub.Client.PostAsJsonAsync(url, new { account = HubServer.AccountId, @operator = "101", client = "89031234567" });

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains($"sipuni, which has no {what} in PbxHub", problem.RootElement.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("evrotel, uis", problem.RootElement.Str("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"operator": "101", "client": "89031234567"}""", "account")]
    [InlineData("""{"account": "nobody", "operator": "101", "client": "89031234567"}""", "account")]
    [InlineData("""{"account": "demo", "operator": 101, "client": "89031234567"}""", "operator")]
    [InlineData("""{"account": "demo", "operator": "101"}""", "client")]
    [InlineData("""{"account": "demo", "operator": "101", "client": "89031234567", "number": "1"}""", "number")]
    public async Task PlaceCall_BadBody_Answers400NamingTheField(string body, string field)
    {
        await using var hub = await HubServer.StartAsync();

        using var response = await hub.Client.PostAsync("/api/v1/calls", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
    }

    [Fact]
    public async Task Requests_WithoutApiKey_Answers401()
    {
        await using var hub = await HubServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };

        using var response = await anonymous.GetAsync("/api/v1/calls/requests");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
