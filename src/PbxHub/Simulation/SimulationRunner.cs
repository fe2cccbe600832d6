using Spectre.Console;

namespace PbxHub.Simulation;

/// <summary>
/// The outcome of a run; it succeeded when every request was accepted, the history (if any) was taken, the
/// reconciliation (if any) ran, and every verified call matched. Requests dropped on purpose (<see cref="Lost"/>) are no failure.
/// </summary>
internal sealed record SimulationReport(int Calls, int Seed, SendStats Send, IReadOnlyList<CallMismatch>? Mismatches)
{
    public LossCount Lost { get; init; } = new(0, 0, 0);

    /// <summary>The calls the history stand-in took (<c>--history</c>); null without one.</summary>
    public int? HistoryPosted { get; init; }

    /// <summary>Why the history stand-in did not take the calls: nothing was sent then.</summary>
    public string? HistoryProblem { get; init; }

    /// <summary>The reconciliation <c>--verify</c> asked for (with <c>--history</c>).</summary>
    public ReconcileRun? Reconciliation { get; init; }

    public bool Succeeded => Send.FailureCount == 0 && HistoryProblem is null && Reconciliation?.Succeeded != false
        && (Mismatches is null || Mismatches.Count == 0);
}

/// <summary>Plans the traffic, gives the history stand-in its calls, sends the traffic and, if asked, verifies it, showing progress on the console.</summary>
internal sealed class SimulationRunner(IAnsiConsole console, TimeProvider time)
{
    public async Task<SimulationReport> RunAsync(SimulationOptions options, IScenarioGenerator generator, CancellationToken ct)
    {
        var seed = options.Seed ?? Random.Shared.Next();
        var plan = TrafficPlanner.Plan(
            generator, new PlanOptions(options.Scenario, options.Calls, options.Shuffle, options.Duplicate, seed, options.Loss), time.GetUtcNow());
        console.MarkupLine(Markup.Escape("Simulating " + options.Describe(seed)));

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var report = new SimulationReport(plan.Count, seed, new SendStats(), null) { Lost = LossCount.Of(plan) };
        if (options.History is { } standIn)
        {
            // Before the traffic, so the history already holds every call whenever the hub reads it.
            var (posted, problem) = await new HistoryFeed(http, standIn).PostAsync([.. plan.Select(p => p.Call.History).OfType<Emulators.HistoryCall>()], ct);
            report = report with { HistoryPosted = posted, HistoryProblem = problem };
            if (problem is not null)
            {
                return report;
            }
        }

        await using var recordings = options.RecordingServer is { } served ? await RecordingServer.StartAsync(served, ct) : null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var sending = ctx.AddTask("Sending requests", maxValue: plan.Sum(p => p.RequestCount));
                var sender = new HookSender(http, options.HookUrl, options.Concurrency, options.Rate, time, options.HookHeaders);
                var stats = await sender.SendAsync(plan, () => sending.Increment(1), ct);
                sending.StopTask();
                report = report with { Send = stats };
                // Evrotel's calls are known by the id the hub answered to their start: the sender kept it.
                var resolved = plan.Select((p, i) => p with { Call = p.Call.Resolve(stats.Replies.GetValueOrDefault(i) ?? new Dictionary<string, string>()) }).ToList();
                // Calls that lost events come back (if at all) from the history: their recordings and CRM entries are not this run's to check.
                var whole = resolved.Where(p => p.Loss == CallLoss.None && (options.History is null || !HistoryExpectation.NeedsHistory(p))).Select(p => p.Call).ToList();
                if (options.Verify)
                {
                    report = await VerifyAsync(ctx, options, generator, http, resolved, report, ct);
                    if (recordings is not null)
                    {
                        var checker = new RecordingVerifier(http, options.BaseUri, options.ApiKey!, options.Account, options.Concurrency, options.RecordingsWait, time);
                        report = report with { Mismatches = [.. report.Mismatches!, .. await checker.VerifyAsync(whole, ct)] };
                    }
                }

                foreach (var (crm, standIn) in options.CrmStandIns)
                {
                    var checking = ctx.AddTask($"Checking the {crm.Name} stand-in", maxValue: 1);
                    var checker = new CrmVerifier(http, standIn, crm, options.Account, options.RecordingsWait, time);
                    report = report with { Mismatches = [.. report.Mismatches ?? [], .. await checker.VerifyAsync(whole, ct)] };
                    checking.Increment(1);
                }
            });

        return report;
    }

    /// <summary>
    /// With a history stand-in, the hub reconciles the account over the calls' period first; then every call is read
    /// back, each as its events or the history must have made it (<see cref="HistoryExpectation"/>).
    /// </summary>
    private async Task<SimulationReport> VerifyAsync(
        ProgressContext ctx, SimulationOptions options, IScenarioGenerator generator, HttpClient http, IReadOnlyList<PlannedCall> plan, SimulationReport report, CancellationToken ct)
    {
        var reconciled = options.History is not null;
        // The calls' period: the first one's start to one second after the last one's (the history's rows are by start).
        var starts = plan.Select(p => p.Call.History?.StartedAt ?? p.Call.Expected.StartedAt ?? default).ToList();
        var (since, until) = (starts.Min(), starts.Max().AddSeconds(1));
        if (reconciled)
        {
            var reconciling = ctx.AddTask("Reconciling", maxValue: 1);
            // Reading a provider's history keeps to its limits (pages, one day a request): it may take minutes.
            using var patient = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            var run = await new HubReconciliation(patient, options.BaseUri, options.ApiKey!, options.Account).RunAsync(since, until, ct);
            report = report with { Reconciliation = run };
            reconciling.Increment(1);
        }

        var verifying = ctx.AddTask("Verifying calls", maxValue: plan.Count);
        var checks = plan.Select(p => reconciled && HistoryExpectation.NeedsHistory(p)
            ? new CallCheck(p.Call, p.Loss, generator.History, Reconciled: true)
            : new CallCheck(p.Call, p.Loss, null, reconciled)).ToList();
        var verifier = new CallVerifier(http, options.BaseUri, options.ApiKey!, options.Account, options.Concurrency, time);
        var mismatches = await verifier.VerifyAsync(checks, () => verifying.Increment(1), ct);
        if (reconciled)
        {
            // Reconciliation must add no call: a history-built call that none of ours is was made twice.
            var extras = await new HistoryLookup(http, options.BaseUri, options.ApiKey!, options.Account).ExtrasAsync(since, until, verifier.Claimed, ct);
            mismatches = [.. mismatches, .. extras];
        }

        verifying.StopTask();
        return report with { Mismatches = mismatches };
    }
}
