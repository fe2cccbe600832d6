using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Cli;

/// <summary>Configuration mistakes as the user meets them: the real process, its exit code and what it prints.</summary>
public sealed class ConfigurationErrorTests
{
    private static readonly string[] Problems =
    [
        "PbxHub:Accounts:0 ('acme'): secret must be at least 8 characters",
        "PbxHub:Accounts:0 ('acme'): timeZone 'Mars/Olympus' is not a known IANA time zone",
        "PbxHub:Ingest:MaxBatchSize: The field MaxBatchSize must be between 1 and 10000.",
        "Failed to convert configuration value 'soon' at 'PbxHub:Delivery:RequestTimeout' to type 'System.TimeSpan'.",
    ];

    private static Dictionary<string, string> Mistakes() => new()
    {
        ["PbxHub__Accounts__0__Id"] = "acme",
        ["PbxHub__Accounts__0__Provider"] = "sipuni",
        ["PbxHub__Accounts__0__Secret"] = "abc",
        ["PbxHub__Accounts__0__TimeZone"] = "Mars/Olympus",
        ["PbxHub__Ingest__MaxBatchSize"] = "0",
        ["PbxHub__Delivery__RequestTimeout"] = "soon",
    };

    [Fact]
    public async Task Serve_SeveralConfigurationProblems_PrintsEveryProblemOnOneLineAndExits2()
    {
        var result = await HubProcess.RunAsync(
            ["serve", "--data", HubProcess.NewDataDirectory(), "--urls", $"http://127.0.0.1:{HubProcess.FreePort()}"],
            TimeSpan.FromSeconds(45), Mistakes());

        AssertProblemsReported(result);
    }

    [Fact]
    public async Task KeysCreate_ConfigurationProblems_PrintsEveryProblemOnOneLineAndExits2()
    {
        var result = await HubProcess.RunAsync(["keys", "create", "--data", HubProcess.NewDataDirectory()], TimeSpan.FromSeconds(45), Mistakes());

        AssertProblemsReported(result);
    }

    private static void AssertProblemsReported(CliResult result)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal([.. Problems, "pbxhub did not start: 4 configuration problem(s), listed above."], lines);
        Assert.DoesNotMatch(@"(?m)^\s*at \S+\(", result.Stdout + result.Stderr); // no stack frame
        Assert.DoesNotContain("Exception", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
