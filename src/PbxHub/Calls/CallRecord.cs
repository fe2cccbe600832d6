using System.Text.Json.Serialization;

namespace PbxHub.Calls;

/// <summary>One side of a call: what the provider sent, and what PbxHub made of it.</summary>
internal sealed record Party(string Raw, string? Number, string? Extension)
{
    /// <summary>The identity used to match legs: an extension, else the E.164 number, else the raw text.</summary>
    [JsonIgnore]
    public string Key => Extension is not null ? "ext:" + Extension : Number ?? "raw:" + Raw;
}

internal sealed record Leg(Party Party, DateTimeOffset StartedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, string? Outcome);

internal sealed record Transfer(Party From, Party To, DateTimeOffset At);

/// <summary>PbxHub's own copy of the call's recording (docs/recordings.md); <paramref name="Url"/> is PbxHub's, not the provider's.</summary>
internal sealed record Recording(
    string State, string? Url, string? ContentType, long? Bytes, double? DurationSeconds, string? Sha256, DateTimeOffset? KeptAt, string? Reason)
{
    /// <summary>The link is known and PbxHub has neither kept the file nor given up on it yet.</summary>
    public static readonly Recording Pending = new(RecordingStates.Pending, null, null, null, null, null, null, null);
}

internal static class RecordingStates
{
    public const string Pending = "pending";
    public const string Kept = "kept";
    public const string Failed = "failed";

    /// <summary>Kept, then deleted by retention (<c>PbxHub:Retention:Recordings</c>).</summary>
    public const string Deleted = "deleted";
}

internal sealed record Tracking(string? RoistatVisit, string? RoistatNumber, string? RoistatMarker, string? GoogleClientId);

/// <summary>The call record of docs/call-record.md, exactly the public JSON shape.</summary>
internal sealed record CallRecord
{
    public required string Id { get; init; }
    public required string Account { get; init; }
    public required string Provider { get; init; }
    public required string ProviderCallId { get; init; }
    public required string Direction { get; init; }
    public Party? From { get; init; }
    public Party? To { get; init; }
    public Party? Line { get; init; }
    public required string State { get; init; }
    public string? Outcome { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public int WaitSeconds { get; init; }
    public int TalkSeconds { get; init; }
    public Party? AnsweredBy { get; init; }
    public Party? EndedWith { get; init; }
    public required IReadOnlyList<Leg> Legs { get; init; }
    public required IReadOnlyList<Transfer> Transfers { get; init; }
    public string? RecordingUrl { get; init; }
    public Recording? Recording { get; init; }
    public Tracking? Tracking { get; init; }
    public string? ProviderResult { get; init; }
    public bool Incomplete { get; init; }

    /// <summary>The provider's call history built or completed the record (docs/reconciliation.md).</summary>
    public bool FromHistory { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

internal static class CallStates
{
    public const string Ringing = "ringing";
    public const string Active = "active";
    public const string Ended = "ended";
}

internal static class Outcomes
{
    public const string Answered = "answered";
    public const string Missed = "missed";
    public const string Busy = "busy";
    public const string NoAnswer = "no_answer";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    public const string Unavailable = "unavailable";
    public const string Congestion = "congestion";
    public const string Rejected = "rejected";
    public const string Unknown = "unknown";
}

internal static class Directions
{
    public const string Inbound = "inbound";
    public const string Outbound = "outbound";
    public const string Internal = "internal";
}
