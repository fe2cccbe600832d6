using System.Diagnostics;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Cli;

/// <summary>What <c>pbxhub serve</c> tells the person who started it, read from the real process's console.</summary>
public sealed class FirstRunTests
{
    private const string FrameworkKeyWarning = "may be persisted to storage in unencrypted form";

    /// <summary>Information level, as the service runs by default (the test processes otherwise log warnings only).</summary>
    private static Dictionary<string, string> DefaultLogging() => new() { ["Logging__LogLevel__Default"] = "Information" };

    [Fact]
    public async Task Serve_EmptyDataFolder_SaysWhereTheDashboardIsHowToGetAKeyAndAddAnAccount()
    {
        var data = HubProcess.NewDataDirectory();
        await using var hub = await HubProcess.StartAsync(data, DefaultLogging(), apiKey: null);
        var output = await WholeOutputAsync(hub, "No account yet");

        Assert.Contains($"PbxHub is running. Dashboard: {hub.BaseUrl}/", output, StringComparison.Ordinal);
        var dataOption = TestStorage.IsPostgres ? "" : $" --data {data}";
        Assert.Contains($"No API key yet: run 'pbxhub keys create{dataOption}'", output, StringComparison.Ordinal);
        Assert.Contains($"No account yet: run 'pbxhub accounts add NAME --provider sipuni|hooktype|evrotel|uis{dataOption} --base-url {hub.BaseUrl}'", output, StringComparison.Ordinal);
        Assert.Contains("pbxhub demo", output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix file modes; the hub's platform is Linux.
    public async Task Serve_EmptyDataFolder_KeepsTheKeyRingInTheDataFolderAndSaysSoInsteadOfTheFrameworkWarning()
    {
        var data = HubProcess.NewDataDirectory();
        await using var hub = await HubProcess.StartAsync(data, DefaultLogging(), apiKey: null);
        var output = await WholeOutputAsync(hub, "Dashboard:");

        var keys = Path.Combine(data, "keys");
        Assert.DoesNotContain(FrameworkKeyWarning, output, StringComparison.Ordinal);
        Assert.Contains($"Data-protection keys (they encrypt the stored secrets and sign dashboard sign-ins) are in {keys}, readable by this user only and not encrypted", output, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        Assert.All(Directory.GetFiles(keys), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task Serve_KeyAndAccountConfigured_PrintsTheDashboardWithoutTheSetUpSteps()
    {
        var environment = HubProcess.DemoEnvironment();
        foreach (var (key, value) in DefaultLogging())
        {
            environment[key] = value;
        }

        await using var hub = await HubProcess.StartAsync(HubProcess.NewDataDirectory(), environment);
        var output = await WholeOutputAsync(hub, "Dashboard:");

        Assert.Contains($"PbxHub is running. Dashboard: {hub.BaseUrl}/", output, StringComparison.Ordinal);
        Assert.DoesNotContain("No API key yet", output, StringComparison.Ordinal);
        Assert.DoesNotContain("No account yet", output, StringComparison.Ordinal);
    }

    /// <summary>The guide is printed once the hub listens, just after /healthz first answers; its lines come whole.</summary>
    internal static async Task<string> WaitForAsync(HubProcess hub, string text)
    {
        var clock = Stopwatch.StartNew();
        while (!hub.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20) && !hub.HasExited, $"no '{text}' in what pbxhub printed:\n{hub.Output}");
            await Task.Delay(50);
        }

        return hub.Output;
    }

    /// <summary>
    /// Everything pbxhub printed, once <paramref name="text"/> was and the hub then stopped on SIGTERM: it writes the
    /// whole guide before it waits for a stop, so a line missing from this was never printed (not merely late).
    /// </summary>
    private static async Task<string> WholeOutputAsync(HubProcess hub, string text)
    {
        await WaitForAsync(hub, text);
        return await hub.StopAsync();
    }
}
