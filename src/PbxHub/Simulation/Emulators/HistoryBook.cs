using System.Collections.Concurrent;

namespace PbxHub.Simulation.Emulators;

/// <summary>
/// One call as a provider's stand-in keeps it for its call history, before the stand-in writes it in the provider's
/// own shape. Filled by the stand-in itself (the calls it placed or sent events for) and by <c>pbxhub simulate</c>
/// (the calls it generated, including those whose events it dropped on purpose with <c>--lose</c>).
/// </summary>
/// <param name="CallId">The provider's call id as its hooks carry it (empty when the provider's hooks carry none of the history's).</param>
/// <param name="Direction"><c>inbound</c>, <c>outbound</c> or <c>internal</c>.</param>
/// <param name="From">The caller as the provider writes it (number or extension).</param>
/// <param name="To">The called party as the provider writes it.</param>
/// <param name="Line">The company's number the call came in on or went out from; null when none.</param>
/// <param name="Outcome">PbxHub's outcome name (<c>answered</c>, <c>busy</c>, <c>no_answer</c>, <c>missed</c>, …); the stand-in writes the provider's own status for it.</param>
/// <param name="AnsweredBy">The employee who had the call, as the provider writes it; null when nobody answered.</param>
/// <param name="RecordingUrl">The provider's link to the recording; null when none.</param>
internal sealed record HistoryCall(
    string CallId,
    string Direction,
    string From,
    string To,
    string? Line,
    DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset EndedAt,
    string Outcome,
    string? AnsweredBy,
    string? RecordingUrl);

/// <summary>
/// A stand-in's call history: what it answers history requests from. Every history stand-in also accepts
/// <c>POST /_emulator/history</c> with a JSON array of <see cref="HistoryCall"/> (camelCase), which adds them.
/// </summary>
internal sealed class HistoryBook
{
    private readonly ConcurrentDictionary<string, HistoryCall> calls = new();

    /// <summary>Adds or replaces calls (by <see cref="HistoryCall.CallId"/>, else by start and numbers).</summary>
    public void Add(IEnumerable<HistoryCall> added)
    {
        foreach (var call in added)
        {
            calls[call.CallId.Length > 0 ? call.CallId : $"{call.StartedAt.ToUnixTimeMilliseconds()}:{call.From}:{call.To}"] = call;
        }
    }

    /// <summary>The calls that started in [<paramref name="since"/>, <paramref name="until"/>), oldest first.</summary>
    public IReadOnlyList<HistoryCall> Between(DateTimeOffset since, DateTimeOffset until) =>
        [.. calls.Values.Where(c => c.StartedAt >= since && c.StartedAt < until).OrderBy(c => c.StartedAt).ThenBy(c => c.CallId, StringComparer.Ordinal)];

    public int Count => calls.Count;
}
