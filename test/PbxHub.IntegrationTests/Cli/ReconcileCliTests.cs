using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Cli;

/// <summary><c>pbxhub reconcile</c> run as an operator runs it; what it prints for a run is tested in Reconciliation/ReconcileCommandTests.</summary>
public sealed class ReconcileCliTests
{
    private static Dictionary<string, string> Environment() => new(HubProcess.DemoEnvironment())
    {
        ["PbxHub__Accounts__1__Id"] = "ht",
        ["PbxHub__Accounts__1__Provider"] = "hooktype",
        ["PbxHub__Accounts__1__Secret"] = "ht-secret-0123456789",
    };

    [Fact]
    public async Task Reconcile_BadPeriodOrUnknownAccount_Exit2SayingWhy()
    {
        var data = HubProcess.NewDataDirectory();

        var badSince = await HubProcess.RunAsync(["reconcile", "--data", data, "--account", "ht", "--since", "yesterday"], TimeSpan.FromSeconds(45), Environment());
        var unknown = await HubProcess.RunAsync(["reconcile", "--data", data, "--account", "nobody"], TimeSpan.FromSeconds(45), Environment());
        var missing = await HubProcess.RunAsync(["reconcile", "--data", data], TimeSpan.FromSeconds(45), Environment());

        Assert.True(badSince.ExitCode == 2, badSince.ToString());
        Assert.Contains("since 'yesterday' is not an ISO 8601 time with an offset", badSince.Stdout, StringComparison.Ordinal);
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("No account 'nobody'.", unknown.Stdout, StringComparison.Ordinal);
        Assert.True(missing.ExitCode != 0, missing.ToString());
    }

    [Fact]
    public async Task Reconcile_ProviderWithoutHistory_Exit1NamingTheReason()
    {
        var data = HubProcess.NewDataDirectory();

        var result = await HubProcess.RunAsync(["reconcile", "--data", data, "--account", "ht"], TimeSpan.FromSeconds(45), Environment());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("provider 'hooktype' has no call history PbxHub can read", result.Stdout.ReplaceLineEndings(""), StringComparison.Ordinal);
    }
}
