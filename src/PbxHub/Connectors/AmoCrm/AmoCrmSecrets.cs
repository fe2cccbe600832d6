using System.Text.Json.Serialization;

namespace PbxHub.Connectors.AmoCrm;

/// <summary>
/// What the OAuth exchange gave (<c>/connectors/{id}/install</c>) and refreshes renew, kept encrypted
/// (<see cref="ConnectorStore"/>): the token pair, when the access token expires, and the account it is for.
/// </summary>
internal sealed record AmoCrmSecrets(
    [property: JsonPropertyName("accessToken")] string AccessToken,
    [property: JsonPropertyName("refreshToken")] string RefreshToken,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("domain")] string Domain)
{
    /// <summary>The redirect URI the code was exchanged with: amoCRM wants the same one with every refresh.</summary>
    [JsonPropertyName("redirectUri")]
    public string? RedirectUri { get; init; }
}

/// <summary>What the account was already told about one call, stored as soon as each step succeeded.</summary>
internal sealed record AmoCrmCallState
{
    /// <summary>The users shown the incoming-call notification (<c>POST /api/v2/events</c>).</summary>
    [JsonPropertyName("notified")]
    public IReadOnlyList<string> Notified { get; init; } = [];

    /// <summary>How the call reached amoCRM: <c>call {id}</c>, <c>unsorted {uid}</c>, or why it did not; null: not yet.</summary>
    [JsonPropertyName("told")]
    public string? Told { get; init; }

    /// <summary>The recording link the call carried (amoCRM cannot update a call: a later one is noted, not sent).</summary>
    [JsonPropertyName("link")]
    public string? Link { get; init; }

    /// <summary>A recording known only after the call was added was noted (once).</summary>
    [JsonPropertyName("lateRecordingNoted")]
    public bool LateRecordingNoted { get; init; }
}
