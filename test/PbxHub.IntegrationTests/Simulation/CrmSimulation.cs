using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation;

namespace PbxHub.IntegrationTests.Simulation;

/// <summary>
/// The run of the CRM checks' tests: 30 Sipuni calls into the test hub's account, each call's requests shuffled and
/// each possibly sent twice (a provider's retries), the journal verified, then the CRM's stand-in read for at most
/// <c>wait</c>.
/// </summary>
internal static class CrmSimulation
{
    public const int Calls = 30;
    public const int Seed = 20261204;

    public static SimulationOptions Options(HubServer hub, TimeSpan wait) => new()
    {
        Url = hub.BaseUrl,
        Account = HubServer.AccountId,
        Secret = HubServer.Secret,
        Calls = Calls,
        Shuffle = true,
        Duplicate = 0.3,
        Seed = Seed,
        ApiKey = HubServer.ApiKey,
        Verify = true,
        RecordingsWait = wait,
    };

    /// <summary>The command's exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(SimulationOptions options)
    {
        var output = new StringWriter();
        var exitCode = await SimulateCommand.RunAsync(options, TestConsoles.Plain(output), TimeProvider.System, CancellationToken.None);
        return (exitCode, output.ToString());
    }
}
