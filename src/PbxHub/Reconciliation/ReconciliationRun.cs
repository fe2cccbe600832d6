namespace PbxHub.Reconciliation;

/// <summary>One reconciliation of one account over one period, as the API and the set-up page show it.</summary>
/// <param name="Trigger">What started it: <see cref="RunTriggers"/>.</param>
/// <param name="Status"><c>succeeded</c> or <c>failed</c> (the history could not be read; nothing was touched).</param>
/// <param name="Seen">History rows read.</param>
/// <param name="Created">Calls found only in the history.</param>
/// <param name="Completed">Calls whose end never came (or that the sweeper closed) completed from the history.</param>
/// <param name="Differing">Complete calls on which the history says otherwise (the events' version stays).</param>
/// <param name="Pages">What was asked of the provider, one entry per answer.</param>
internal sealed record ReconciliationRun(
    string Id,
    string Account,
    string Provider,
    DateTimeOffset Since,
    DateTimeOffset Until,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Trigger,
    string Status,
    string? Error,
    int Seen,
    int Created,
    int Completed,
    int Differing,
    IReadOnlyList<ReconciliationFinding> Findings,
    IReadOnlyList<string> Pages);

/// <summary>What a run found about one call (or one answer it could not read).</summary>
/// <param name="CallId">PbxHub's call id; null for an answer put in quarantine.</param>
/// <param name="Kind"><see cref="FindingKinds"/>.</param>
/// <param name="Differs">For <c>differing</c>: each fact the history says otherwise, e.g. <c>talkSeconds: 60 (history 80)</c>.</param>
/// <param name="Reason">For <c>quarantined</c>: why the answer could not be read.</param>
internal sealed record ReconciliationFinding(string? CallId, string Kind, IReadOnlyList<string>? Differs = null, string? Reason = null);

internal static class FindingKinds
{
    public const string Created = "created";
    public const string Completed = "completed";
    public const string Differing = "differing";
    public const string Matched = "matched";
    public const string Quarantined = "quarantined";
}

internal static class RunTriggers
{
    public const string Schedule = "schedule";
    public const string Api = "api";
    public const string Cli = "cli";
}

internal static class RunStatuses
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
