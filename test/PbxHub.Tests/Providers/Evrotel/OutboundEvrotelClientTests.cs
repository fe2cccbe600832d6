using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PbxHub.Accounts;
using PbxHub.Providers;
using PbxHub.Providers.Evrotel;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Tests.Providers.Evrotel;

/// <summary>
/// Evrotel click-to-call and autodial over real HTTP against the stand-in. The account is built here
/// directly: the outbound client reads its settings from the record and needs no inbound adapter.
/// </summary>
public sealed class OutboundEvrotelClientTests
{
    private const string Token = "G7bng65jYk8GF294";

    private static Task<EmulatorHost> StartEvrotelAsync() =>
        EvrotelEmulator.StartAsync("http://127.0.0.1:0", new EvrotelEmulatorOptions { Token = Token, BillCode = "20558" }, TimeProvider.System);

    private static Account Account(EmulatorHost evrotel, string token = Token) => new(
        "acme-evrotel", "evrotel", "", "Europe/Kyiv", "UA",
        new Dictionary<string, string> { ["Evrotel:Token"] = token, ["Evrotel:BillCode"] = "20558", ["Evrotel:BaseUrl"] = evrotel.BaseUrl },
        AccountSources.Configuration);

    [Fact]
    public async Task PlaceCall_ExtensionsAndUkrainianNumber_PostsTheDocumentsWebappBodyWithTheToken()
    {
        await using var evrotel = await StartEvrotelAsync();
        using var harness = new OutboundHarness(TimeProvider.System);

        var outcome = await harness.For("evrotel").PlaceCallAsync(
            Account(evrotel), new PlaceCallInput(["101", "102", "104"], "+380 67 985 39 13", JsonNode.Parse("""{"routing": "rand"}""")!.AsObject()), CancellationToken.None);

        Assert.IsType<OutboundOutcome.Placed>(outcome);
        var request = Assert.Single(evrotel.Requests);
        Assert.Equal("/webapp/", request.Path);
        Assert.Equal(Token, request.Authorization);
        Assert.Equal("""{"billcode":"20558","numberA":["101","102","104"],"numberB":"0679853913","routing":"rand"}""", request.Body);
    }

    [Theory]
    [InlineData("manager", "{}", "operator")]
    [InlineData("101", """{"routing": "random"}""", "options.routing")]
    [InlineData("101", """{"chnum": 5}""", "options.chnum")]
    public async Task PlaceCall_InvalidInput_IsRefusedBeforeAnythingIsSent(string operatorText, string options, string field)
    {
        await using var evrotel = await StartEvrotelAsync();
        using var harness = new OutboundHarness(TimeProvider.System);

        var outcome = await harness.For("evrotel").PlaceCallAsync(
            Account(evrotel), new PlaceCallInput([operatorText], "0679853913", JsonNode.Parse(options)!.AsObject()), CancellationToken.None);

        Assert.Contains(field, Assert.IsType<OutboundOutcome.Invalid>(outcome).Errors.Keys);
        Assert.Empty(evrotel.Requests);
    }

    [Fact]
    public async Task PlaceCall_WrongToken_IsAProblemNamingTheToken()
    {
        await using var evrotel = await StartEvrotelAsync();
        using var harness = new OutboundHarness(TimeProvider.System);

        var outcome = await harness.For("evrotel").PlaceCallAsync(Account(evrotel, token: "wrong"), new PlaceCallInput(["101"], "0679853913", []), CancellationToken.None);

        var problem = Assert.IsType<OutboundOutcome.Failed>(outcome).Problem;
        Assert.Equal(502, problem.Status);
        Assert.Equal("403", problem.ProviderCode);
        Assert.Equal("Access denied", problem.ProviderMessage);
        Assert.Contains("Evrotel:Token", problem.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Autodial_GoodWav_UploadsByUrlThenStartsWithBillcodePrefixedName()
    {
        await using var evrotel = await StartEvrotelAsync();
        var wav = WavFormat.Silence(1, 8000, 16, TimeSpan.FromSeconds(1));
        await using var media = await EmulatorHost.StartAsync("http://127.0.0.1:0", app => app.MapGet("/media/playfile1.wav", () => Results.File(wav, "audio/wav")));
        using var harness = new OutboundHarness(TimeProvider.System);

        var outcome = await harness.For("evrotel").AutodialAsync(
            Account(evrotel), new AutodialInput($"{media.BaseUrl}/media/playfile1.wav", "playfile1.wav", 5), CancellationToken.None);

        Assert.IsType<OutboundOutcome.Placed>(outcome);
        Assert.Equal(["/autodial/media/", "/autodial/"], evrotel.Requests.Select(r => r.Path).ToArray());
        Assert.Equal($$"""{"billcode":"20558","mediafile":"{{media.BaseUrl}}/media/playfile1.wav"}""", evrotel.Requests[0].Body);
        Assert.Equal("""{"billcode":"20558","mediafile":"20558_playfile1.wav","chnum":5}""", evrotel.Requests[1].Body);
        Assert.Single(media.Requests);
    }

    [Fact]
    public async Task Autodial_ProviderRefusesTheMedia_StopsBeforeStarting()
    {
        await using var evrotel = await StartEvrotelAsync();
        var stereo = WavFormat.Silence(2, 8000, 16, TimeSpan.FromSeconds(1));
        await using var media = await EmulatorHost.StartAsync("http://127.0.0.1:0", app => app.MapGet("/m.wav", () => Results.File(stereo, "audio/wav")));
        using var harness = new OutboundHarness(TimeProvider.System);

        var outcome = await harness.For("evrotel").AutodialAsync(Account(evrotel), new AutodialInput($"{media.BaseUrl}/m.wav", "m.wav", 1), CancellationToken.None);

        var problem = Assert.IsType<OutboundOutcome.Failed>(outcome).Problem;
        Assert.Equal(422, problem.Status);
        Assert.Contains("stereo (2 channels)", problem.ProviderMessage, StringComparison.Ordinal);
        Assert.Equal(["/autodial/media/"], evrotel.Requests.Select(r => r.Path).ToArray());
    }
}
