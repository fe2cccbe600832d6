namespace PbxHub.Storage;

/// <summary>
/// One click-to-call or autodial request as PbxHub sent it. <paramref name="Status"/>: <c>placed</c>,
/// <c>failed</c> (the provider refused), <c>uncertain</c> (no answer: it may have been placed),
/// <c>invalid</c> (refused before sending).
/// </summary>
/// <param name="ClientNumber">The client's E.164 number, by which the resulting call is found.</param>
/// <param name="Exchanges">JSON: what was asked of the provider and what it answered.</param>
/// <param name="Problem">JSON: the problem details answered, when not placed.</param>
internal sealed record CallRequestRow(
    string Id, string Account, string Provider, string Kind, string? Client, string? ClientNumber, IReadOnlyList<string> Operators,
    DateTimeOffset RequestedAt, string Status, string Exchanges, string? Problem);

/// <summary>A stored request and the call that most likely resulted from it, found when read.</summary>
internal sealed record LinkedCallRequest(CallRequestRow Request, string? CallId);

internal interface ICallRequestStore
{
    Task AddAsync(CallRequestRow row, CancellationToken ct);

    /// <summary>
    /// Newest first. A request the provider took (<c>placed</c>) or may have taken (<c>uncertain</c>) is linked
    /// to the earliest call of its account in which the client's number takes part, started within
    /// <paramref name="linkWindow"/> after it; a refused one never is, as no call came of it (docs/call-requests.md).
    /// </summary>
    Task<IReadOnlyList<LinkedCallRequest>> ListAsync(string? account, int limit, TimeSpan linkWindow, CancellationToken ct);

    Task AddMediaAsync(string id, string account, byte[] bytes, DateTimeOffset createdAt, CancellationToken ct);

    /// <summary>The WAV bytes and their account, or null.</summary>
    Task<(string Account, byte[] Bytes)?> MediaAsync(string id, CancellationToken ct);
}
