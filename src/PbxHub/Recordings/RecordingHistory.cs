using System.Text.Json;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Storage;

namespace PbxHub.Recordings;

/// <summary>
/// What the fetcher adds to a call's history: a raw event of kind <c>recording</c> whose body is the record's
/// <c>recording</c> object, kept or failed. Written through the ingest writer like the sweeper's timeout marker, so
/// the fold sets the record from it and replay reproduces it (docs/recordings.md).
/// </summary>
internal static class RecordingHistory
{
    public static RawRow Row(Account account, string callKey, Recording recording, DateTimeOffset at)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(recording, CallJson.Options);
        var request = new RawRequest("RECORDING", "application/json", "", body, new Dictionary<string, string>(), at);
        // A kept file is one fact however often it is written (a node that died after writing it writes it again).
        var dedupe = recording.State == RecordingStates.Kept
            ? $"recording:{callKey}:kept:{recording.Sha256}"
            : $"recording:{callKey}:{recording.State}:{at.ToUnixTimeMilliseconds()}";
        return new RawRow(0, account.Id, account.Provider, RawKinds.Recording, callKey, dedupe, request, recording.Reason);
    }

    public static IReadOnlyList<CallSignal> Read(RawRequest request)
    {
        var recording = JsonSerializer.Deserialize<Recording>(request.Body, CallJson.Options);
        return recording is null ? [] : [new RecordingSettled(request.ReceivedAt, recording)];
    }

    /// <summary>The URL the record names: PbxHub's own, relative to wherever the hub is served.</summary>
    public static string ApiPath(string callId) => $"/api/v1/calls/{callId}/recording";
}
