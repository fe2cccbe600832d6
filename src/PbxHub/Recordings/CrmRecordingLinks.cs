using Microsoft.Extensions.Options;
using PbxHub.Calls;
using PbxHub.Providers;

namespace PbxHub.Recordings;

/// <summary>
/// The recording link a connector hands its CRM: <paramref name="Url"/> null means wait (PbxHub is still fetching the
/// file and will emit <c>call.recording.kept</c>). <paramref name="Identity"/> names what was attached, so a connector
/// attaches each version once although every signed link differs.
/// </summary>
internal sealed record CrmRecording(string? Url, string Identity, string FileName, string Note);

/// <summary>
/// Points connectors at PbxHub's kept copy (docs/recordings.md#connectors): a signed <c>/recordings/{token}</c> link
/// on the hub's public address (<c>PbxHub:Outbound:PublicBaseUrl</c>), in the connector's <c>RecordingFormat</c>
/// (an MP3 is encoded before the link is handed out, so the CRM's single fetch is served from the cache). Without a
/// public address, or once PbxHub gave up on the file, the provider's link is all there is.
/// </summary>
internal sealed class CrmRecordingLinks(
    RecordingLinks links, Mp3Transcoder mp3, IOptions<OutboundOptions> outbound, IOptions<RecordingsOptions> options)
{
    /// <summary>
    /// How long a signed link lasts for a CRM that keeps it and plays the recording from it whenever a user opens the
    /// call (amoCRM, RetailCRM), unless the connector's <c>RecordingLinkLifetime</c> says otherwise (docs/recordings.md#connectors).
    /// </summary>
    public static readonly TimeSpan KeptByTheCrm = TimeSpan.FromDays(365);

    /// <summary>How often a connector waiting for PbxHub to keep a recording looks again (the file may come any moment).</summary>
    public static readonly TimeSpan LookAgainIn = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The link for <paramref name="call"/>, whose provider link is <paramref name="providerUrl"/>, signed for
    /// <paramref name="lifetime"/> (null: <c>PbxHub:Recordings:LinkLifetime</c>); throws <see cref="TranscodeException"/>.
    /// </summary>
    public async Task<CrmRecording> ForAsync(CallRecord call, string providerUrl, string? format, TimeSpan? lifetime, CancellationToken ct)
    {
        var provider = new CrmRecording(providerUrl, providerUrl, "", "the provider's link");
        if (outbound.Value.PublicBaseUrl is not { } publicUrl)
        {
            return provider with { Note = $"the provider's link: set {OutboundOptions.Section}:PublicBaseUrl for PbxHub's copy" };
        }

        switch (call.Recording)
        {
            case { State: RecordingStates.Pending } when options.Value.Enabled:
                return provider with { Url = null, Note = "waiting for PbxHub to keep the recording" };
            case { State: RecordingStates.Kept, ContentType: { } type, Sha256: { } sha } r:
                var mp3Wanted = format == "mp3" && type != "audio/mpeg";
                if (mp3Wanted)
                {
                    await mp3.EnsureAsync(call.Account, call.Id, RecordingKeys.For(call.Account, call.Id, type), r.Bytes ?? 0, ct);
                }

                var extension = mp3Wanted || type == "audio/mpeg" ? "mp3" : "wav";
                var (path, _) = links.Create(call.Id, lifetime);
                var url = $"{publicUrl.TrimEnd('/')}{path}{(mp3Wanted ? "?format=mp3" : "")}";
                return new CrmRecording(url, $"pbxhub:{sha}.{extension}", $"{call.Id}.{extension}", "PbxHub's copy");
            default:
                return provider;
        }
    }
}
