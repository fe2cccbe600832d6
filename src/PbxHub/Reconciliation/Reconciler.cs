using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Storage;

namespace PbxHub.Reconciliation;

/// <summary>
/// Reconciles one account over one period (docs/reconciliation.md): reads the provider's history whole, then for each
/// row says what it is to the call's record and stores it raw (kind <c>history</c>) through the ingest writer, where the
/// fold makes of it what the events lacked. A history that cannot be read fails the run and touches nothing.
/// </summary>
internal sealed partial class Reconciler(
    HistoryRegistry histories, HistoryMatcher matcher, ICallQueries calls, IngestWriter writer, ReconciliationStore store,
    ReconciliationMetrics metrics, IOptions<ReconciliationOptions> options, TimeProvider time, ILogger<Reconciler> logger)
{
    /// <summary>Why the account cannot be reconciled at all; empty when it can.</summary>
    public IReadOnlyList<string> Refusal(Account account) =>
        histories.Find(account.Provider) is { } reader
            ? [.. reader.SettingsProblems(account)]
            : [$"provider '{account.Provider}' has no call history PbxHub can read"];

    public async Task<ReconciliationRun> RunAsync(Account account, DateTimeOffset since, DateTimeOffset until, string trigger, CancellationToken ct)
    {
        var refusal = Refusal(account);
        if (refusal.Count > 0)
        {
            throw new ReconciliationRefusedException(account.Id, refusal, histories.Find(account.Provider) is null);
        }

        var reader = histories.Find(account.Provider)!;
        var startedAt = RawRequest.Stamp(time);
        var id = "rec_" + Guid.CreateVersion7(startedAt).ToString("N");
        var pages = new List<HistoryPage>();
        string? error = null;
        try
        {
            await foreach (var page in reader.ReadAsync(account, since, until, ct))
            {
                pages.Add(page);
            }
        }
        catch (HistoryUnavailableException ex)
        {
            error = ex.Message;
            LogUnavailable(logger, account.Id, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // A reader's bug on an answer it did not expect fails the run like an unreachable history: nothing is touched.
            error = $"the {account.Provider} history reader failed: {ex.Message}";
            LogUnavailable(logger, account.Id, error);
        }

        var findings = new List<ReconciliationFinding>();
        var seen = 0;
        if (error is null)
        {
            foreach (var page in pages)
            {
                seen += await ApplyAsync(reader, account, page, findings, ct);
            }
        }

        var run = new ReconciliationRun(
            id, account.Id, account.Provider, since, until, startedAt, RawRequest.Stamp(time), trigger,
            error is null ? RunStatuses.Succeeded : RunStatuses.Failed, error, seen,
            Count(findings, FindingKinds.Created), Count(findings, FindingKinds.Completed), Count(findings, FindingKinds.Differing),
            findings.Where(f => f.Kind != FindingKinds.Matched).ToList(), pages.Select(p => p switch { HistoryPage.Rows r => r.Request, HistoryPage.Garbage g => g.Request, _ => "" }).ToList());
        await store.AddAsync(run, CancellationToken.None);
        metrics.Ran(run, findings);
        return run;
    }

    private async Task<int> ApplyAsync(IHistoryReader reader, Account account, HistoryPage page, List<ReconciliationFinding> findings, CancellationToken ct)
    {
        switch (page)
        {
            case HistoryPage.Garbage garbage:
                await writer.WriteAsync(account, HistoryRows.Garbage(account, garbage), ct);
                findings.Add(new ReconciliationFinding(null, FindingKinds.Quarantined, Reason: garbage.Reason));
                return 0;
            case HistoryPage.Rows rows:
                // Every row is matched and judged against the records as they stood before this page was written, and the page is
                // then written as one burst: the ingest writer commits it in a few group commits, and no read waits for the fold
                // of a row written just before it.
                var judged = new List<(string Key, HistoryRow Row)>(rows.Calls.Count);
                foreach (var row in rows.Calls)
                {
                    var key = await matcher.CallKeyAsync(account, row, ct);
                    var callId = StableIds.CallId(account.Id, key);
                    findings.Add(HistoryClassifier.Classify(callId, await calls.GetAsync(callId, ct), row.Facts, options.Value.MatchWindow));
                    judged.Add((key, row));
                }

                foreach (var chunk in judged.Chunk(WriteBurst))
                {
                    // What the fold reads from the stored row, so the record folded now is the one replay folds.
                    await Task.WhenAll(chunk.Select(j =>
                        writer.WriteAsync(account, HistoryRows.Row(account, j.Key, j.Row), ct, HistoryRows.Signals(reader, account, j.Row.Row))));
                }

                return rows.Calls.Count;
            default:
                return 0;
        }
    }

    /// <summary>Rows handed to the ingest writer at once: well inside its queue, so a large page never meets a full one.</summary>
    private const int WriteBurst = 256;

    private static int Count(List<ReconciliationFinding> findings, string kind) => findings.Count(f => f.Kind == kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The call history of account {Account} could not be read: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string account, string reason);
}

/// <summary>The account cannot be reconciled: its provider has no history reader, or its settings lack what the reader needs.</summary>
internal sealed class ReconciliationRefusedException(string account, IReadOnlyList<string> problems, bool noReader)
    : Exception($"Account '{account}' cannot be reconciled: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>The provider has no reader (as opposed to settings the account lacks).</summary>
    public bool NoReader { get; } = noReader;
}
