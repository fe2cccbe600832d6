using Spectre.Console;

namespace PbxHub.Simulation;

/// <summary>The outcome of a run; it succeeded when every request was accepted and every verified call matched.</summary>
internal sealed record SimulationReport(int Calls, int Seed, SendStats Send, IReadOnlyList<CallMismatch>? Mismatches)
{
    public bool Succeeded => Send.FailureCount == 0 && (Mismatches is null || Mismatches.Count == 0);
}

/// <summary>Plans the traffic, sends it and, if asked, verifies it, showing progress on the console.</summary>
internal sealed class SimulationRunner(IAnsiConsole console, TimeProvider time)
{
    public async Task<SimulationReport> RunAsync(SimulationOptions options, IScenarioGenerator generator, CancellationToken ct)
    {
        var seed = options.Seed ?? Random.Shared.Next();
        var plan = TrafficPlanner.Plan(
            generator, new PlanOptions(options.Scenario, options.Calls, options.Shuffle, options.Duplicate, seed), time.GetUtcNow());
        console.MarkupLine(Markup.Escape("Simulating " + options.Describe(seed)));

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        await using var recordings = options.RecordingServer is { } served ? await RecordingServer.StartAsync(served, ct) : null;
        SendStats? stats = null;
        IReadOnlyList<CallMismatch>? mismatches = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var sending = ctx.AddTask("Sending requests", maxValue: plan.Sum(p => p.RequestCount));
                var verifying = options.Verify ? ctx.AddTask("Verifying calls", autoStart: false, maxValue: plan.Count) : null;
                var sender = new HookSender(http, options.HookUrl, options.Concurrency, options.Rate, time, options.HookHeaders);
                stats = await sender.SendAsync(plan, () => sending.Increment(1), ct);
                sending.StopTask();
                if (verifying is not null)
                {
                    verifying.StartTask();
                    var verifier = new CallVerifier(http, options.BaseUri, options.ApiKey!, options.Account, options.Concurrency, time);
                    // Evrotel's calls are known by the id the hub answered to their start: the sender kept it.
                    var calls = plan.Select((p, i) => p.Call.Resolve(stats.Replies.GetValueOrDefault(i) ?? new Dictionary<string, string>()));
                    var resolved = calls.ToList();
                    mismatches = await verifier.VerifyAsync(resolved, () => verifying.Increment(1), ct);
                    if (recordings is not null)
                    {
                        var checker = new RecordingVerifier(http, options.BaseUri, options.ApiKey!, options.Account, options.Concurrency, options.RecordingsWait, time);
                        mismatches = [.. mismatches, .. await checker.VerifyAsync(resolved, ct)];
                    }
                    verifying.StopTask();
                }

                if (options.Bitrix24 is { } standIn)
                {
                    var crm = ctx.AddTask("Checking the Bitrix24 stand-in", maxValue: 1);
                    var calls = plan.Select((p, i) => p.Call.Resolve(stats.Replies.GetValueOrDefault(i) ?? new Dictionary<string, string>())).ToList();
                    var checker = new Bitrix24Verifier(http, new Uri(standIn.TrimEnd('/') + "/"), options.Account, options.RecordingsWait, time);
                    mismatches = [.. mismatches ?? [], .. await checker.VerifyAsync(calls, ct)];
                    crm.Increment(1);
                }
            });

        return new SimulationReport(plan.Count, seed, stats!, mismatches);
    }
}
