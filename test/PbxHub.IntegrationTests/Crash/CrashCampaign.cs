using System.Diagnostics;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Crash;

/// <summary>What a campaign did: kills by phase, rounds, and how long it took.</summary>
internal sealed record CrashSummary(IReadOnlyDictionary<CrashPhase, int> Kills, int Rounds, TimeSpan Took)
{
    public int TotalKills => Kills.Values.Sum();

    public override string ToString() =>
        $"{TotalKills} kills in {Rounds} rounds ({string.Join(", ", Kills.Select(k => $"{k.Key} {k.Value}"))}) in {Took.TotalSeconds:F0} s";
}

/// <summary>
/// Kills the hub and its verbs over and over at moments drawn from one seed, checking everything after each kill.
/// Phases come in shuffled rounds of four, so every phase gets its share of the kills.
/// </summary>
internal static class CrashCampaign
{
    public static async Task<CrashSummary> RunAsync(CrashSettings settings, Action<string> log)
    {
        log($"crash campaign on {(TestStorage.IsPostgres ? "PostgreSQL" : "SQLite")}, reproduce with {settings.Reproduce}");
        var clock = Stopwatch.StartNew();
        var random = new Random(settings.Seed);
        await using var rig = await CrashRig.StartAsync();
        var traffic = new CrashTraffic(rig, settings.CallsPerProvider);
        var phases = new CrashPhases(rig, traffic, random);
        var checks = new CrashChecks(rig);
        var kills = Enum.GetValues<CrashPhase>().ToDictionary(p => p, _ => 0);
        var schedule = new Queue<CrashPhase>();
        var round = 0;
        // Data first, so the first migration and replay have work to do.
        await traffic.Send(random.Next(), CancellationToken.None).Sending;
        while (kills.Values.Sum() < settings.Kills)
        {
            Assert.True(++round <= settings.MaxRounds, $"only {kills.Values.Sum()} kills in {settings.MaxRounds} rounds: the processes ended before their kills came");
            if (schedule.Count == 0)
            {
                var next = Enum.GetValues<CrashPhase>();
                random.Shuffle(next);
                next.ToList().ForEach(schedule.Enqueue);
            }

            var phase = schedule.Dequeue();
            try
            {
                var kill = await phases.RunAsync(phase);
                var state = await checks.AfterKillAsync(kill);
                phases.ReplayTakes = checks.ReplayTook;
                kills[phase] += kill.Killed ? 1 : 0;
                log($"{clock.Elapsed.TotalSeconds,6:F1} s round {round} {phase}: {kill.What}; {state}");
            }
            catch (Exception ex)
            {
                throw new CrashCampaignFailure(
                    $"Crash campaign failed in round {round} ({phase}) after {clock.Elapsed.TotalSeconds:F0} s; reproduce with {settings.Reproduce}\n" +
                    $"last hub output:\n{Tail(rig.Hub.Output)}", ex);
            }
        }

        return new CrashSummary(kills, round, clock.Elapsed);
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(30));
}

internal sealed class CrashCampaignFailure(string message, Exception inner) : Exception(message, inner);
