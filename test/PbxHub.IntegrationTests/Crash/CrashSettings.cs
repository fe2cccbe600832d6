using System.Globalization;

namespace PbxHub.IntegrationTests.Crash;

/// <summary>
/// How big a crash campaign is. The test suite runs a short one; the full one is the same test with more kills and
/// more traffic (see docs/crash-campaign.md): <c>PBXHUB_CRASH_KILLS</c>, <c>PBXHUB_CRASH_CALLS</c> and, to
/// reproduce a failure, the <c>PBXHUB_CRASH_SEED</c> it printed.
/// </summary>
internal sealed record CrashSettings(int Kills, int CallsPerProvider, int Seed)
{
    public const int DefaultKills = 20;
    public const int DefaultCallsPerProvider = 4;

    /// <summary>Rounds allowed beyond the kills, for the rounds whose process finished before its kill came.</summary>
    public int MaxRounds => Kills * 3;

    public static CrashSettings FromEnvironment() => new(
        Number("PBXHUB_CRASH_KILLS") ?? DefaultKills,
        Number("PBXHUB_CRASH_CALLS") ?? DefaultCallsPerProvider,
        Number("PBXHUB_CRASH_SEED") ?? Random.Shared.Next(1, int.MaxValue));

    /// <summary>The environment that repeats this campaign.</summary>
    public string Reproduce => $"PBXHUB_CRASH_SEED={Seed} PBXHUB_CRASH_KILLS={Kills} PBXHUB_CRASH_CALLS={CallsPerProvider}";

    private static int? Number(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) is var n and > 0
                ? n
                : throw new InvalidOperationException($"{name} must be a positive number, not {text}")
            : null;
}
