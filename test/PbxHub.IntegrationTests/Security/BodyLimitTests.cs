using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Security;

/// <summary>Request size limits: the API's (problem details) and the hooks' (each provider's failure answer).</summary>
public sealed class BodyLimitTests
{
    private static readonly KeyValuePair<string, string> SmallApi = new("PbxHub:Network:MaxApiBodyBytes", "4096");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Api_BodyOverLimit_413ProblemAndNothingDone(bool withContentLength)
    {
        await using var hub = await NetworkHub.StartAsync([SmallApi]);
        var json = $$$"""{"id": "too-big", "provider": "sipuni", "settings": {"Sipuni:UserNumber": "{{{new string('1', 5000)}}}"}}""";
        HttpContent content = withContentLength
            ? new StringContent(json, Encoding.UTF8, "application/json")
            : new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/accounts") { Content = content };
        request.Headers.TransferEncodingChunked = !withContentLength;

        using var response = await hub.Client.SendAsync(request);
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        using var accounts = await hub.Client.GetJsonAsync("/api/v1/accounts");
        Assert.DoesNotContain(accounts.RootElement.EnumerateArray(), a => a.GetProperty("id").GetString() == "too-big");
    }

    [Fact]
    public async Task Api_BodyUnderLimit_Taken()
    {
        await using var hub = await NetworkHub.StartAsync([SmallApi]);
        var json = $$$"""{"id": "small", "provider": "sipuni", "settings": {"Sipuni:UserNumber": "{{{new string('1', 3000)}}}"}}""";
        using var response = await hub.Client.PostAsync("/api/v1/accounts", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Autodial_UploadLargerThanApiLimit_ReachesTheWavCheckNot413()
    {
        await using var hub = await NetworkHub.StartAsync(
        [
            SmallApi,
            new("PbxHub:Accounts:3:Id", "dialer"),
            new("PbxHub:Accounts:3:Provider", "evrotel"),
            new("PbxHub:Accounts:3:Evrotel:Token", "dialer-token-0123"),
            new("PbxHub:Accounts:3:Evrotel:BillCode", "20558"),
            new("PbxHub:Accounts:3:Evrotel:BaseUrl", "http://127.0.0.1:9"),
        ]);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("dialer"), "account" },
            { new ByteArrayContent(new byte[100_000]), "file", "greeting.wav" },
        };
        using var response = await hub.Client.PostAsync("/api/v1/autodial", form);
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("WAV", problem.RootElement.GetProperty("errors").GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hooktype")]
    [InlineData("evrotel")]
    public async Task Hook_BodyOverLimit_413InProviderShapeAndNothingStored(string provider)
    {
        await using var hub = await NetworkHub.StartAsync([new("PbxHub:Ingest:MaxBodyBytes", "2048")]);
        var body = provider == "evrotel"
            ? $$"""{"callstatus": "start", "calldate": "2018-04-01 00:00:11", "numberA": "0987858227", "numberB": "0679853913", "direction": "i", "padding": "{{new string('x', 2048)}}"}"""
            : $$"""{"SessionID": "big-1", "HookType": "CreateIncCall", "StartTime": "2021-01-28 14:15:22", "Caller": "9582412128", "Called": "4950665310", "padding": "{{new string('x', 2048)}}"}""";
        using var response = await hub.Client.SendAsync(NetworkHub.Hook(provider, 1, body: body));
        await NetworkHub.AssertProviderFailureAsync(provider, response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(await HubDatabase.RawEventsAsync(hub.DataDirectory));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Hook_OversizedBodyWithWrongSecret_DeniedAs403NotToldTheLimit(bool withContentLength)
    {
        await using var hub = await NetworkHub.StartAsync([new("PbxHub:Ingest:MaxBodyBytes", "2048")]);
        var body = Encoding.UTF8.GetBytes(new string('x', 100_000));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{NetworkHub.HookTypeAccount}/not-the-secret")
        {
            Content = withContentLength ? new ByteArrayContent(body) : new StreamContent(new MemoryStream(body)),
        };
        request.Headers.TransferEncodingChunked = !withContentLength;

        using var response = await hub.Client.SendAsync(request);

        await NetworkHub.AssertProviderFailureAsync("hooktype", response, HttpStatusCode.Forbidden);
        Assert.DoesNotContain("2048", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await HubDatabase.RawEventsAsync(hub.DataDirectory));
    }

    [Fact]
    public async Task Hook_RequestLineOverKestrelLimit_414FromKestrelAndRaisedByConfiguration()
    {
        // Kestrel's default request line is 8 KiB; a Sipuni GET hook is under 1 KiB.
        var fields = SipuniHooks.Arrival("long-line", "89031234567", "84951234567", 1_700_000_000) + "&padding=" + new string('x', 9000);
        await using (var hub = await NetworkHub.StartAsync())
        {
            using var tooLong = await hub.Client.GetAsync($"{hub.HookPath}?{fields}");
            Assert.Equal(HttpStatusCode.RequestUriTooLong, tooLong.StatusCode);
            Assert.Empty(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        }

        await using var raised = await NetworkHub.StartAsync([new("Kestrel:Limits:MaxRequestLineSize", "16384")]);
        using var taken = await raised.Client.GetAsync($"{raised.HookPath}?{fields}");
        await NetworkHub.AssertAcceptedAsync("sipuni", taken);
    }
}
