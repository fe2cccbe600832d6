using System.Text.Json.Serialization;

namespace PbxHub.Connectors.Bitrix24;

/// <summary>
/// What <c>ONAPPINSTALL</c> brought and refreshes renew, kept encrypted (<see cref="ConnectorStore"/>): the portal's
/// tokens, where its REST answers, and the <c>application_token</c> every later event of the portal must carry.
/// </summary>
internal sealed record Bitrix24Secrets(
    [property: JsonPropertyName("accessToken")] string AccessToken,
    [property: JsonPropertyName("refreshToken")] string RefreshToken,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("clientEndpoint")] string ClientEndpoint,
    [property: JsonPropertyName("domain")] string? Domain,
    [property: JsonPropertyName("memberId")] string? MemberId,
    [property: JsonPropertyName("applicationToken")] string ApplicationToken)
{
    /// <summary>The external line numbers already added with <c>telephony.externalLine.add</c>.</summary>
    [JsonPropertyName("lines")]
    public IReadOnlyList<string> Lines { get; init; } = [];
}
