using System.Text.Json.Serialization;

namespace PbxHub.Connectors.RetailCrm;

/// <summary>What the system was already told of one call: each step is stored once it succeeded, so a retry or a duplicate event does not repeat it.</summary>
internal sealed record RetailCrmCallState
{
    /// <summary>The codes an <c>in</c> event was sent for.</summary>
    [JsonPropertyName("in")]
    public IReadOnlyList<string> In { get; init; } = [];

    [JsonPropertyName("out")]
    public bool Out { get; init; }

    [JsonPropertyName("hangup")]
    public bool Hangup { get; init; }

    /// <summary>What <c>calls/upload</c> took (<c>result</c> and <c>duration</c>); null: not uploaded yet.</summary>
    [JsonPropertyName("uploaded")]
    public string? Uploaded { get; init; }
}
