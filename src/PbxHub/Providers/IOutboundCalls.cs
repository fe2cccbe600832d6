using System.Text.Json.Nodes;
using PbxHub.Accounts;

namespace PbxHub.Providers;

/// <summary>
/// One provider's outbound API: click-to-call and, where the provider has it, autodial. Implementations
/// check the input against the provider's document before sending anything, and never retry a request
/// that may have placed a call.
/// </summary>
internal interface IOutboundCalls
{
    /// <summary>The provider name used in accounts (<c>uis</c>, <c>evrotel</c>).</summary>
    string Provider { get; }

    /// <summary>Whether <see cref="AutodialAsync"/> does anything.</summary>
    bool SupportsAutodial => false;

    Task<OutboundOutcome> PlaceCallAsync(Account account, PlaceCallInput input, CancellationToken ct);

    /// <summary>Autodial with a WAV that PbxHub serves at <see cref="AutodialInput.MediaUrl"/>.</summary>
    Task<OutboundOutcome> AutodialAsync(Account account, AutodialInput input, CancellationToken ct) =>
        Task.FromResult<OutboundOutcome>(new OutboundOutcome.Unsupported($"Provider '{Provider}' has no autodial in PbxHub."));
}

/// <param name="Operators">Employee extensions or numbers, in the caller's order.</param>
/// <param name="Client">The number to call.</param>
/// <param name="Options">Provider options, in the provider's own parameter names.</param>
internal sealed record PlaceCallInput(IReadOnlyList<string> Operators, string Client, JsonObject Options);

/// <param name="MediaUrl">Where the provider can fetch the WAV (PbxHub's own unauthenticated URL).</param>
/// <param name="FileName">The last segment of <paramref name="MediaUrl"/>, the name the provider files it under.</param>
/// <param name="Channels">How many calls at once.</param>
internal sealed record AutodialInput(string MediaUrl, string FileName, int Channels);

/// <summary>One request sent to the provider: what was asked (credentials masked) and what came back.</summary>
internal sealed record ProviderExchange(string Url, JsonNode? Asked, int? Status, string? Answered);

/// <summary>A provider's refusal or failure as the API states it (RFC 9457 problem details).</summary>
/// <param name="MayHaveBeenPlaced">The request reached the provider but no answer came back (timeout, 5xx).</param>
internal sealed record OutboundProblem(
    int Status, string Title, string Detail, string Remedy,
    string? ProviderCode = null, string? ProviderMessage = null, JsonNode? ProviderData = null, bool MayHaveBeenPlaced = false,
    int? RetryAfterSeconds = null);

internal abstract record OutboundOutcome
{
    /// <summary>The provider accepted every request.</summary>
    internal sealed record Placed(IReadOnlyList<ProviderExchange> Exchanges) : OutboundOutcome;

    /// <summary>The input breaks the provider's rules; nothing was sent.</summary>
    internal sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : OutboundOutcome;

    /// <summary>The account's provider cannot do this in PbxHub; nothing was sent.</summary>
    internal sealed record Unsupported(string Reason) : OutboundOutcome;

    internal sealed record Failed(OutboundProblem Problem, IReadOnlyList<ProviderExchange> Exchanges) : OutboundOutcome;
}
