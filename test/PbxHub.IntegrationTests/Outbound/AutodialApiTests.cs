using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Providers.Evrotel;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Outbound;

/// <summary>
/// <c>POST /api/v1/autodial</c> through a real hub to the Evrotel stand-in, which fetches the WAV from the
/// hub's own <c>/media/{id}.wav</c>. The Evrotel account is added without the provider check (see <see cref="OutboundHub"/>).
/// </summary>
public sealed class AutodialApiTests
{
    private static Task<EmulatorHost> StartEvrotelAsync() => EvrotelEmulator.StartAsync("http://127.0.0.1:0",
        new EvrotelEmulatorOptions { Token = OutboundHub.EvrotelToken, BillCode = "20558" }, TimeProvider.System);

    private static MultipartFormDataContent Form(byte[]? wav, string fileName = "greeting.wav", string channels = "5", string? media = null)
    {
        var form = new MultipartFormDataContent { { new StringContent(OutboundHub.EvrotelAccount), "account" }, { new StringContent(channels), "channels" } };
        if (wav is not null)
        {
            var file = new ByteArrayContent(wav);
            file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
            form.Add(file, "file", fileName);
        }

        if (media is not null)
        {
            form.Add(new StringContent(media), "media");
        }

        return form;
    }

    [Fact]
    public async Task Autodial_GoodWav_EvrotelFetchesItFromTheHubAndStartsTheCalls()
    {
        await using var evrotel = await StartEvrotelAsync();
        await using var hub = await OutboundHub.StartAsync(null, evrotel);
        var wav = WavFormat.Silence(1, 8000, 16, TimeSpan.FromSeconds(1));

        using var response = await hub.Client.PostAsync("/api/v1/autodial", Form(wav));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var answer = JsonDocument.Parse(text);
        Assert.Equal("placed", answer.RootElement.Str("status"));
        var media = answer.RootElement.GetProperty("media");
        var id = media.Str("id")!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal($"{hub.BaseUrl.TrimEnd('/')}/media/{id}.wav", media.Str("url"));
        Assert.Equal(["/autodial/media/", "/autodial/"], evrotel.Requests.Select(r => r.Path).ToArray());
        Assert.Equal($$"""{"billcode":"20558","mediafile":"{{media.Str("url")}}"}""", evrotel.Requests[0].Body);
        Assert.Equal($$"""{"billcode":"20558","mediafile":"20558_{{id}}.wav","chnum":5}""", evrotel.Requests[1].Body);
        Assert.All(evrotel.Requests, r => Assert.Equal(OutboundHub.EvrotelToken, r.Authorization));

        // Served without the API key, byte for byte; an unknown id is not found.
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        Assert.Equal(wav, await anonymous.GetByteArrayAsync($"/media/{id}.wav"));
        using var missing = await anonymous.GetAsync($"/media/{new string('0', 32)}.wav");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // The same media again, by reference.
        using var again = await hub.Client.PostAsync("/api/v1/autodial", Form(null, channels: "2", media: id));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal($$"""{"billcode":"20558","mediafile":"20558_{{id}}.wav","chnum":2}""", evrotel.Requests[^1].Body);
    }

    [Theory]
    [InlineData(2, 8000, "stereo (2 channels)")]
    [InlineData(1, 44100, "44100 Hz")]
    [InlineData(0, 0, "not a WAV file")]
    public async Task Autodial_WavEvrotelCannotPlay_Answers400NamingWhatIsWrongAndSendsNothing(int channels, int rate, string named)
    {
        await using var evrotel = await StartEvrotelAsync();
        await using var hub = await OutboundHub.StartAsync(null, evrotel);
        var bytes = channels == 0 ? Encoding.ASCII.GetBytes("ID3\u0004 an mp3, not a wav") : WavFormat.Silence(channels, rate, 16, TimeSpan.FromSeconds(1));

        using var response = await hub.Client.PostAsync("/api/v1/autodial", Form(bytes, "greeting.wav"));

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var message = problem.RootElement.GetProperty("errors").GetProperty("file")[0].GetString();
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.Contains("mono, 16-bit PCM, 8000 Hz", message, StringComparison.Ordinal);
        Assert.Empty(evrotel.Requests);
    }

    [Fact]
    public async Task Autodial_UisAccount_Answers422()
    {
        await using var uis = await UisEmulator.StartAsync("http://127.0.0.1:0", new UisEmulatorOptions(), TimeProvider.System);
        await using var hub = await OutboundHub.StartAsync(uis, null);
        using var form = new MultipartFormDataContent { { new StringContent(OutboundHub.UisAccount), "account" } };

        using var response = await hub.Client.PostAsync("/api/v1/autodial", form);

        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("autodial works for: evrotel", problem.RootElement.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaceCall_EvrotelAccount_PostsWebappAndAnswersPlaced()
    {
        await using var evrotel = await StartEvrotelAsync();
        await using var hub = await OutboundHub.StartAsync(null, evrotel);

        using var response = await hub.Client.PostAsync("/api/v1/calls", new StringContent(
            $$$"""{"account": "{{{OutboundHub.EvrotelAccount}}}", "operator": ["101", "102"], "client": "067 985 39 13", "options": {"routing": "inline"}}""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(evrotel.Requests);
        Assert.Equal("""{"billcode":"20558","numberA":["101","102"],"numberB":"0679853913","routing":"inline"}""", request.Body);
    }
}
