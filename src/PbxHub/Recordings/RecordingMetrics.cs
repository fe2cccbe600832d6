using System.Diagnostics.Metrics;

namespace PbxHub.Recordings;

/// <summary>Recordings fetched and kept, bytes kept, and failed attempts by the kind of failure (docs/recordings.md).</summary>
internal sealed class RecordingMetrics
{
    public const string MeterName = "PbxHub.Recordings";

    private readonly Counter<long> fetched;
    private readonly Counter<long> bytes;
    private readonly Counter<long> failed;

    public RecordingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        fetched = meter.CreateCounter<long>("pbxhub.recordings.fetched", description: "Recordings fetched and kept, by account");
        bytes = meter.CreateCounter<long>("pbxhub.recordings.bytes", unit: "By", description: "Bytes of recordings kept, by account");
        failed = meter.CreateCounter<long>("pbxhub.recordings.failed", description: "Failed attempts to fetch a recording, by account and reason");
    }

    public void Fetched(string account, long size)
    {
        fetched.Add(1, new KeyValuePair<string, object?>("account", account));
        bytes.Add(size, new KeyValuePair<string, object?>("account", account));
    }

    public void Failed(string account, string reason) =>
        failed.Add(1, new KeyValuePair<string, object?>("account", account), new KeyValuePair<string, object?>("reason", Kind(reason)));

    /// <summary>A label of few values: the kind of failure, not its text (which names hosts and sizes).</summary>
    public static string Kind(string reason) => reason switch
    {
        _ when reason.StartsWith("HTTP ", StringComparison.Ordinal) || reason.StartsWith("FTP ", StringComparison.Ordinal) => string.Join(' ', reason.Split(' ').Take(2)),
        _ when reason.StartsWith("not a recording", StringComparison.Ordinal) => "not_audio",
        _ when reason.StartsWith("not fetched within", StringComparison.Ordinal) => "timeout",
        _ when reason.StartsWith("larger than", StringComparison.Ordinal) => "too_large",
        _ when reason.Contains("recording host", StringComparison.Ordinal) => "host_not_allowed",
        _ when reason.Contains("BlockedNetworks", StringComparison.Ordinal) => "blocked_network",
        _ when reason.Contains("links are not fetched", StringComparison.Ordinal) => "scheme",
        _ when reason.Contains("not an absolute link", StringComparison.Ordinal) => "bad_link",
        _ when reason.Contains("account was removed", StringComparison.Ordinal) => "account_removed",
        _ => "connection",
    };
}
