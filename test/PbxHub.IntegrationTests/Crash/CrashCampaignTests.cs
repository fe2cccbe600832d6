using PbxHub.IntegrationTests.Ingest;
using Xunit.Abstractions;

namespace PbxHub.IntegrationTests.Crash;

/// <summary>
/// The crash campaign: every provider's traffic into a real <c>pbxhub serve</c>, SIGKILLed at random moments of
/// every phase and restarted, with everything checked after each kill. The suite runs a short campaign; the full one
/// is this same test with <c>PBXHUB_CRASH_KILLS</c> and <c>PBXHUB_CRASH_CALLS</c> raised (scripts/crash-campaign.sh).
/// </summary>
[Collection(nameof(KillCollection))]
public sealed class CrashCampaignTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Hub_KilledAtRandomMomentsOfEveryPhase_LosesNothingAcknowledgedAndAgreesWithReplay()
    {
        var settings = CrashSettings.FromEnvironment();

        var summary = await CrashCampaign.RunAsync(settings, output.WriteLine);

        output.WriteLine(summary.ToString());
        Assert.True(summary.TotalKills >= settings.Kills, summary.ToString());
        Assert.All(summary.Kills, k => Assert.True(k.Value >= settings.Kills / 8, $"{k.Key}: only {k.Value} kills ({summary})"));
    }
}
