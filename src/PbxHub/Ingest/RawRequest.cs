namespace PbxHub.Ingest;

/// <summary>One hook request exactly as received: what is stored before anything is acknowledged.</summary>
internal sealed record RawRequest(
    string Method,
    string? ContentType,
    string Query,
    byte[] Body,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Receive times are kept to the millisecond, as stored, so a record folded live equals its replay.</summary>
    public static DateTimeOffset Stamp(TimeProvider time) => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}

/// <summary>A raw request as it stands in the store.</summary>
/// <param name="Seq">Its position in the raw log (the original's on a repeat).</param>
/// <param name="Duplicate">True when the provider repeated a request already stored.</param>
internal sealed record StoredRaw(long Seq, bool Duplicate);

internal static class RawKinds
{
    public const string Hook = "hook";
    public const string Quarantined = "quarantined";

    /// <summary>Written by the sweeper when a call's end never came.</summary>
    public const string Timeout = "timeout";

    /// <summary>Stands for a call's raw requests pruned by retention: the signals they carried (Retention/CompactedSignals).</summary>
    public const string Compacted = "compacted";

    /// <summary>Written by the recordings fetcher when it kept a call's recording or gave up on it (Recordings/RecordingHistory).</summary>
    public const string Recording = "recording";

    /// <summary>One row of the provider's call history, as read by the reconciler (docs/reconciliation.md).</summary>
    public const string History = "history";
}
