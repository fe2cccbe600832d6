using System.Text.Json.Serialization;

namespace PbxHub.Connectors.Bitrix24;

/// <summary>What a portal was already told about one call: each step is stored as soon as it succeeded, so a retry goes on from there.</summary>
internal sealed record Bitrix24CallState
{
    /// <summary>The portal's <c>CALL_ID</c> from <c>register</c>.</summary>
    [JsonPropertyName("callId")]
    public string? CallId { get; init; }

    [JsonPropertyName("shown")]
    public IReadOnlyList<string> Shown { get; init; } = [];

    [JsonPropertyName("hidden")]
    public IReadOnlyList<string> Hidden { get; init; } = [];

    [JsonPropertyName("finished")]
    public bool Finished { get; init; }

    /// <summary>What <c>finish</c> told: <c>STATUS_CODE</c> and <c>DURATION</c>, to notice a later change Bitrix24 cannot take.</summary>
    [JsonPropertyName("finishedAs")]
    public string? FinishedAs { get; init; }

    /// <summary>A change after the finish was logged (once per call).</summary>
    [JsonPropertyName("lateChangeLogged")]
    public bool LateChangeLogged { get; init; }

    /// <summary>What <c>attachRecord</c> attached: the provider's link, or <c>pbxhub:{sha256}.{mp3|wav}</c> for PbxHub's copy.</summary>
    [JsonPropertyName("record")]
    public string? Record { get; init; }
}
