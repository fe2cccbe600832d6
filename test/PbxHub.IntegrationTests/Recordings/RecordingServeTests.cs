using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Recordings;

public sealed class RecordingServeTests
{
    [Fact]
    public async Task Get_RangeRequests_PartialContentAsPlayersSeek()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);
        var id = await RecordingHub.SendCallAsync(hub, "rec-range", origin.BaseUrl + "/rec/a.wav");
        await RecordingHub.SettledAsync(hub, id);
        var wav = RecordingOrigin.Wav;

        using var middle = await RangeAsync(hub, id, new RangeHeaderValue(100, 199));
        Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
        Assert.Equal($"bytes 100-199/{wav.Length}", middle.Content.Headers.ContentRange?.ToString());
        Assert.Equal(wav[100..200], await middle.Content.ReadAsByteArrayAsync());
        using var tail = await RangeAsync(hub, id, new RangeHeaderValue(null, 44));
        Assert.Equal(wav[^44..], await tail.Content.ReadAsByteArrayAsync());
        using var rest = await RangeAsync(hub, id, new RangeHeaderValue(30_000, null));
        Assert.Equal(wav[30_000..], await rest.Content.ReadAsByteArrayAsync());
        using var past = await RangeAsync(hub, id, new RangeHeaderValue(wav.Length, null));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);
        Assert.Equal($"bytes */{wav.Length}", past.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Get_WithoutApiKey_Unauthorized()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);
        var id = await RecordingHub.SendCallAsync(hub, "rec-auth", origin.BaseUrl + "/rec/a.wav");
        await RecordingHub.SettledAsync(hub, id);

        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        using var response = await anonymous.GetAsync($"/api/v1/calls/{id}/recording");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignedLink_WithinItsLifetime_ServesWithoutKeyThenExpiredLinkRefused()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        var time = FakeClock.New();
        await using var hub = await RecordingHub.StartAsync(origin, new Dictionary<string, string> { ["PbxHub:Recordings:LinkLifetime"] = "01:00:00" }, time: time);
        var id = await RecordingHub.SendCallAsync(hub, "rec-link", origin.BaseUrl + "/rec/a.wav");
        await RecordingHub.SettledAsync(hub, id);

        using var created = await hub.Client.PostAsync($"/api/v1/calls/{id}/recording/link", null);
        var link = await created.Content.ReadFromJsonAsync<JsonElement>();
        var url = link.GetProperty("url").GetString()!;
        var expiresAt = link.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromHours(1), expiresAt);
        using var anonymous = new HttpClient();
        using var fresh = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(RecordingOrigin.Wav, await fresh.Content.ReadAsByteArrayAsync());
        using var forged = await anonymous.GetAsync(url[..^3] + "abc");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        // On the hub's clock: a second before the link expires it still serves, a second after it is refused.
        time.Advance(expiresAt - time.GetUtcNow() - TimeSpan.FromSeconds(1));
        using var late = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        time.Advance(TimeSpan.FromSeconds(2));
        using var expired = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
    }

    private static async Task<HttpResponseMessage> RangeAsync(HubServer hub, string id, RangeHeaderValue range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/calls/{id}/recording") { Headers = { Range = range } };
        return await hub.Client.SendAsync(request);
    }
}
