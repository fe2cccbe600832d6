using Microsoft.Extensions.DependencyInjection;
using PbxHub.Cli;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Providers;
using PbxHub.Reconciliation;

namespace PbxHub.IntegrationTests.Reconciliation;

/// <summary>
/// <c>pbxhub reconcile</c>'s work on the hub's database, with the test provider's history (the shipped executable knows
/// only the built-in providers): it prints the run and exits 0, or 1 when the history could not be read.
/// </summary>
public sealed class ReconcileCommandTests
{
    [Fact]
    public async Task Reconcile_LostCallInHistory_PrintsTheRunExit0AndTheServiceServesTheCall()
    {
        await using var history = await LedgerHistoryServer.StartAsync();
        var data = HubProcess.NewDataDirectory();
        var start = TimeProvider.System.GetUtcNow().AddHours(-1);
        history.Add("r1", "lost1", start, start.AddSeconds(5), start.AddSeconds(65));
        var output = new StringWriter();

        int exit;
        await using (var tool = ToolHost(data, history.Url))
        {
            await CliApp.PrepareAsync(tool, default);
            exit = await ReconcileCommand.RunAsync(tool.Services, LedgerHub.Account, null, null, Wide(output), default);
        }

        Assert.True(exit == 0, output.ToString());
        var text = output.ToString();
        Assert.Contains("succeeded", text, StringComparison.Ordinal);
        Assert.Contains("created", text, StringComparison.Ordinal);
        Assert.Contains(PbxHub.Calls.StableIds.CallId(LedgerHub.Account, "lost1"), text, StringComparison.Ordinal);
        await using var hub = await HubServer.StartAsync(Settings(history.Url), b => b.Services.AddProvider(LedgerPbx.Descriptor), data);
        using var call = await hub.Client.GetJsonAsync($"/api/v1/calls/{PbxHub.Calls.StableIds.CallId(LedgerHub.Account, "lost1")}");
        Assert.True(call.RootElement.GetProperty("fromHistory").GetBoolean());
        using var runs = await hub.Client.GetJsonAsync("/api/v1/reconciliation");
        Assert.Equal("cli", Assert.Single(runs.RootElement.EnumerateArray()).Str("trigger"));
    }

    [Fact]
    public async Task Reconcile_HistoryUnavailable_PrintsTheFailedRunExit1()
    {
        await using var history = await LedgerHistoryServer.StartAsync();
        history.FailWith = 500;
        var output = new StringWriter();
        await using var tool = ToolHost(HubProcess.NewDataDirectory(), history.Url);
        await CliApp.PrepareAsync(tool, default);

        var exit = await ReconcileCommand.RunAsync(tool.Services, LedgerHub.Account, null, null, Wide(output), default);

        Assert.True(exit == 1, output.ToString());
        Assert.Contains("failed", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("The history could not be read: history answered HTTP 500", output.ToString().ReplaceLineEndings(""), StringComparison.Ordinal);
    }

    /// <summary>As the executable prints when its output is redirected: wide enough for whole ids.</summary>
    private static Spectre.Console.IAnsiConsole Wide(StringWriter output)
    {
        var console = TestConsoles.Plain(output);
        console.Profile.Width = 400;
        return console;
    }

    private static Dictionary<string, string> Settings(string historyUrl) => new()
    {
        ["PbxHub:Accounts:1:Id"] = LedgerHub.Account,
        ["PbxHub:Accounts:1:Provider"] = LedgerPbx.Name,
        ["PbxHub:Accounts:1:Secret"] = LedgerHub.Secret,
        ["PbxHub:Accounts:1:" + LedgerPbx.HistoryUrlKey] = historyUrl,
    };

    /// <summary>What <c>CliApp.ToolHost</c> builds, with the test provider registered.</summary>
    private static Microsoft.AspNetCore.Builder.WebApplication ToolHost(string data, string historyUrl)
    {
        var config = new Dictionary<string, string>(Settings(historyUrl)) { ["PbxHub:Accounts:0:Id"] = "demo", ["PbxHub:Accounts:0:Provider"] = "hooktype", ["PbxHub:Accounts:0:Secret"] = "demo-secret-0123" };
        foreach (var (key, value) in TestStorage.Settings(data))
        {
            config[key] = value;
        }

        return HubHost.Build([.. config.Select(kv => $"--{kv.Key}={kv.Value}")], dataDirectory: data, configure: b => b.Services.AddProvider(LedgerPbx.Descriptor));
    }
}
