using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Recordings;
using PbxHub.Recordings;
using PbxHub.Simulation.Emulators;
using static PbxHub.IntegrationTests.Connectors.Bitrix24.Bitrix24Rig;

namespace PbxHub.IntegrationTests.Connectors.Bitrix24;

/// <summary>
/// Bitrix24's <c>attachRecord</c> names PbxHub's kept copy (a signed link on <c>PbxHub:Outbound:PublicBaseUrl</c>),
/// not the provider's link, and the portal fetching it gets the kept bytes (docs/recordings.md#connectors).
/// </summary>
public sealed class Bitrix24RecordingTests
{
    [Fact]
    public async Task Deliver_RecordingKept_AttachRecordNamesPbxHubsSignedLinkServingTheKeptFile()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var rig = await StartAsync(origin, format: null);
        var callId = await SendCallAsync(rig, origin, "b24-rec");

        var attach = await AttachedAsync(rig, callId);
        var url = (string)P(attach, "RECORD_URL")!;
        Assert.StartsWith(rig.Hub.BaseUrl.TrimEnd('/') + "/recordings/", url, StringComparison.Ordinal);
        Assert.Equal($"{callId}.wav", (string?)P(attach, "FILENAME"));
        using var portal = new HttpClient();
        Assert.Equal(RecordingOrigin.Wav, await portal.GetByteArrayAsync(url));
        Assert.Equal(1, origin.Hits("/rec/b24-rec.wav"));
    }

    [Fact]
    public async Task Deliver_ConnectorRecordingFormatMp3_AttachRecordNamesTheMp3()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var rig = await StartAsync(origin, format: "mp3");
        var callId = await SendCallAsync(rig, origin, "b24-mp3");

        var attach = await AttachedAsync(rig, callId);
        var url = (string)P(attach, "RECORD_URL")!;
        Assert.EndsWith("?format=mp3", url, StringComparison.Ordinal);
        Assert.Equal($"{callId}.mp3", (string?)P(attach, "FILENAME"));
        using var portal = new HttpClient();
        using var fetched = await portal.GetAsync(url);
        Assert.Equal("audio/mpeg", fetched.Content.Headers.ContentType?.MediaType);
        var mp3 = await fetched.Content.ReadAsByteArrayAsync();
        Assert.Equal("audio/mpeg", AudioHeader.Read(mp3.AsSpan(0, Math.Min(mp3.Length, AudioHeader.HeadLength)), mp3.Length)?.ContentType);
        Assert.Equal(await rig.Hub.Client.GetByteArrayAsync($"/api/v1/calls/{callId}/recording?format=mp3"), mp3);
    }

    [Fact]
    public async Task Deliver_Mp3WantedEncoderNotInstalled_NothingAttachedAndTheLogSaysWhatToInstall()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var rig = await StartAsync(origin, format: "mp3", new Dictionary<string, string> { ["PbxHub:Recordings:Encoder"] = "/nonexistent/ffmpeg" });
        var callId = await SendCallAsync(rig, origin, "b24-no-ffmpeg");
        await RecordingHub.SettledAsync(rig.Hub, callId);

        await rig.Hub.Client.WaitForJsonAsync(
            "/api/v1/connectors/b24/deliveries",
            l => l.GetProperty("items").EnumerateArray().Any(d => d.GetProperty("attemptLog").EnumerateArray()
                .Any(a => a.Str("error")?.Contains("apt-get install ffmpeg", StringComparison.Ordinal) == true)),
            "the delivery log names what to install");

        Assert.DoesNotContain(rig.AcceptedFor(callId), r => Short(r) == "attachRecord");
        Assert.Contains(rig.AcceptedFor(callId), r => Short(r) == "finish");
    }

    private static Task<Bitrix24Rig> StartAsync(RecordingOrigin origin, string? format, IDictionary<string, string>? more = null)
    {
        var address = $"http://127.0.0.1:{HubProcess.FreePort()}";
        var settings = new Dictionary<string, string>
        {
            ["urls"] = address,
            ["PbxHub:Outbound:PublicBaseUrl"] = address,
            ["PbxHub:Accounts:0:Recordings:Hosts"] = origin.Host,
            ["PbxHub:Recordings:PollInterval"] = "00:00:00.050",
        };
        if (format is not null)
        {
            settings["PbxHub:Connectors:0:RecordingFormat"] = format;
        }

        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return Bitrix24Rig.StartAsync(settings: settings);
    }

    private static async Task<string> SendCallAsync(Bitrix24Rig rig, RecordingOrigin origin, string key)
    {
        const long start = 1_764_000_000L;
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
        [
            SipuniHooks.Arrival(key, Client, Line, start),
            SipuniHooks.Ring(key, Client, "101", start),
            SipuniHooks.Answer(key, Client, "101", start + 5),
            SipuniHooks.HangUp(key, Client, "101", "ANSWER", start, start + 5, start + 35)
                + "&call_record_link=" + Uri.EscapeDataString($"{origin.BaseUrl}/rec/{key}.wav"),
        ]);
        return StableIds.CallId(HubServer.AccountId, key);
    }

    /// <summary>The one attachRecord of the call, once the recording is kept and the portal has it.</summary>
    private static async Task<Bitrix24Request> AttachedAsync(Bitrix24Rig rig, string callId)
    {
        await Webhooks.WaitUntilAsync(() => rig.AcceptedFor(callId).Any(r => Short(r) == "attachRecord"), "the recording attached");
        var recording = await RecordingHub.SettledAsync(rig.Hub, callId);
        Assert.Equal("kept", recording.GetProperty("state").GetString());
        // Every later event of the call (none should attach again) has been delivered by now.
        await rig.Hub.Client.WaitForJsonAsync(
            "/api/v1/connectors/b24/deliveries", l => l.GetProperty("items").EnumerateArray().All(d => d.GetProperty("state").GetString() != "pending"),
            "the connector's deliveries done");
        return Assert.Single(rig.AcceptedFor(callId), r => Short(r) == "attachRecord");
    }
}
