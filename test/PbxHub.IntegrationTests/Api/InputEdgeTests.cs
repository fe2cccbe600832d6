using System.Net;
using System.Net.Http.Json;
using System.Text;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Api;

public sealed class InputEdgeTests
{
    [Theory]
    [InlineData("/api/v1/calls")]
    [InlineData("/api/v1/calls/missed")]
    [InlineData("/api/v1/calls.csv")]
    public async Task Cursor_TimeOutOfRange_ValidationProblemNot500(string path)
    {
        await using var hub = await HubServer.StartAsync();
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes("99999999999999999|x"));

        using var response = await hub.Client.GetAsync($"{path}?cursor={Uri.EscapeDataString(cursor)}");

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("cursor", out _));
    }

    [Fact]
    public async Task Hook_TimestampBeyondYear9999_QuarantinedWithSipuniAnswer()
    {
        await using var hub = await HubServer.StartAsync();

        using var response = await hub.Client.GetAsync(
            $"{hub.HookPath}?event=1&call_id=far&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=300000000000000");

        Assert.Contains("timestamp", await HttpJson.AssertQuarantinedAnswerAsync(response, "timestamp beyond 9999"), StringComparison.Ordinal);
        var stored = Assert.Single(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        Assert.Equal("quarantined", stored.Kind);
    }

    [Theory]
    [InlineData("abc/defgh123")]
    [InlineData("secret with spaces")]
    public async Task CreateAccount_SecretNotUrlSafe_ValidationProblem(string secret)
    {
        await using var hub = await HubServer.StartAsync();

        using var response = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "acme", provider = "sipuni", secret });

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("part of the hook URL", problem.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/stream?account=%00")]
    [InlineData("/api/v1/stream?type=call.%00started")]
    [InlineData("/api/v1/calls?account=a%00b")]
    [InlineData("/api/v1/quarantine?provider=%00")]
    public async Task Query_NulCharacter_ProblemNot500(string pathAndQuery)
    {
        await using var hub = await HubServer.StartAsync();

        using var response = await hub.Client.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead);

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("U+0000", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"\\uDFFF\":1,\"account\":\"demo\"}")]
    [InlineData("{\"account\":\"\\uD800\"}")]
    public async Task PlaceCall_NameOrValueWithHalfASurrogatePair_ProblemNot500(string body)
    {
        await using var hub = await HubServer.StartAsync();

        using var response = await hub.Client.PostAsync("/api/v1/calls", new StringContent(body, Encoding.UTF8, "application/json"));

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Body is not JSON", problem.RootElement.GetProperty("title").GetString());
    }
}
