using System.Text.Json.Serialization;

namespace PbxHub.Connectors.RetailCrm;

/// <summary>
/// What a RetailCRM connector keeps (encrypted, <see cref="ConnectorStore"/>): the <c>clientId</c> PbxHub generated for
/// the module (RetailCRM sends it back with each <c>makeCallUrl</c> request), the lines seen in its calls (the module's
/// <c>externalPhones</c>), and what the module was last registered as.
/// </summary>
internal sealed record RetailCrmSecrets
{
    [JsonPropertyName("clientId")]
    public required string ClientId { get; init; }

    [JsonPropertyName("lines")]
    public IReadOnlyList<string> Lines { get; init; } = [];

    /// <summary>The <c>integrationModule</c> JSON the system accepted last; null: not registered yet.</summary>
    [JsonPropertyName("registered")]
    public string? Registered { get; init; }

    /// <summary>The system's address it was registered on (the API's <c>portal</c>).</summary>
    [JsonPropertyName("domain")]
    public string? System { get; init; }
}
