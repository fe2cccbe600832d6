using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;

namespace PbxHub.Reconciliation;

/// <summary>
/// One provider's own call history: how to read it over a period, and what one stored row of it says. Declared in
/// the provider's folder and registered through its descriptor (<c>History = typeof(…)</c>); looked up by provider name.
/// The reconciler stores every row raw (kind <c>history</c>) before using it, and the fold and replay read it back
/// through <see cref="Read"/>, so a reconciled record is a function of stored rows like any other (docs/reconciliation.md).
/// </summary>
internal interface IHistoryReader
{
    /// <summary>The provider name used in accounts (<c>uis</c>, <c>sipuni</c>, <c>evrotel</c>).</summary>
    string Provider { get; }

    /// <summary>
    /// What the account lacks for its history to be read (e.g. "Uis:AccessToken is not set"), in words; empty when
    /// it can be read. The reconciler refuses to run (and the set-up page says why) while this is not empty.
    /// </summary>
    IEnumerable<string> SettingsProblems(Account account);

    /// <summary>
    /// Reads the calls that started in [<paramref name="since"/>, <paramref name="until"/>), page by page, keeping to the
    /// provider's limits (page size, one day per request where so, rate). Yields each answer as it is read.
    /// Throws <see cref="HistoryUnavailableException"/> when the provider cannot be asked or refuses (network, timeout,
    /// HTTP or API error, bad credentials); an answer that came but cannot be understood is a <see cref="HistoryPage.Garbage"/>.
    /// </summary>
    IAsyncEnumerable<HistoryPage> ReadAsync(Account account, DateTimeOffset since, DateTimeOffset until, CancellationToken ct);

    /// <summary>
    /// What one stored row says. Stateless and deterministic (the fold and replay call it on rows stored long ago);
    /// null when the row cannot be read.
    /// </summary>
    HistoryFacts? Read(Account account, RawRequest row);
}

/// <summary>One answer of the provider's history.</summary>
internal abstract record HistoryPage
{
    /// <param name="Request">What was asked, for the run's log (credentials masked), e.g. <c>get.calls_report offset=500</c>.</param>
    /// <param name="Calls">The calls of the answer, one row each.</param>
    internal sealed record Rows(string Request, IReadOnlyList<HistoryRow> Calls) : HistoryPage;

    /// <param name="Answer">The answer exactly as received: it is kept in quarantine for replay and inspection.</param>
    /// <param name="Reason">Why it cannot be understood, in words.</param>
    internal sealed record Garbage(string Request, RawRequest Answer, string Reason) : HistoryPage;
}

/// <summary>One call of the history, as the provider wrote it.</summary>
/// <param name="CallKey">
/// The provider's call id exactly as its hooks carry it (so the row joins the call its hooks built); null when the
/// history's ids cannot be tied to the hooks' (the reconciler then matches by numbers and start time).
/// </param>
/// <param name="RowId">The row's own stable id in the history (a new call's key is derived from it when nothing matches).</param>
/// <param name="Row">
/// The row as stored: the provider's own bytes (a JSON object, a CSV header and line, …) in <see cref="RawRequest.Body"/>,
/// with the time the answer came in <see cref="RawRequest.ReceivedAt"/>. <see cref="IHistoryReader.Read"/> of it gives <paramref name="Facts"/>.
/// </param>
internal sealed record HistoryRow(string? CallKey, string RowId, RawRequest Row, HistoryFacts Facts);

/// <summary>What a history row says about one call, in PbxHub's terms (docs/call-record.md).</summary>
/// <param name="Direction"><c>inbound</c>, <c>outbound</c> or <c>internal</c> (<see cref="Directions"/>).</param>
/// <param name="From">The calling party.</param>
/// <param name="To">The called party (the client on an outbound call, the number dialled on an inbound one).</param>
/// <param name="Line">The company's number the call came in on or went out from, when the history names it.</param>
/// <param name="Outcome">One of <see cref="Outcomes"/>.</param>
/// <param name="TalkSeconds">Seconds of conversation as the provider counts them (0 when unanswered).</param>
/// <param name="AnsweredBy">The employee who had the call (extension or number), when the history names one.</param>
/// <param name="ProviderResult">The provider's own status text or code for the call, kept as is.</param>
/// <param name="RecordingUrl">The provider's link to the recording, when it has one.</param>
internal sealed record HistoryFacts(
    string Direction,
    Party? From,
    Party? To,
    Party? Line,
    DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset EndedAt,
    string Outcome,
    int TalkSeconds,
    Party? AnsweredBy,
    string? ProviderResult,
    string? RecordingUrl);

/// <summary>The provider's history could not be read (network, timeout, HTTP or API error, credentials).</summary>
internal sealed class HistoryUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
