using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using PbxHub.Calls;
using PbxHub.Cli;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Providers;
using PbxHub.Simulation;
using Spectre.Console;

namespace PbxHub.IntegrationTests.Providers.MadeUp;

/// <summary>A provider is one folder and one line (docs/adding-a-provider.md): a made-up one, registered so, is everywhere.</summary>
public sealed class MadeUpProviderTests
{
    private static Task<HubServer> StartAsync() =>
        HubServer.StartAsync(configure: b => b.Services.AddProvider(TinyPbx.Descriptor));

    [Fact]
    public async Task AccountsApi_MadeUpProviderRegisteredInOneLine_AccountCreatedWithItsDefaultsAndItsHooksReceived()
    {
        await using var hub = await StartAsync();
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "tiny", provider = TinyPbx.Name, secret = "tiny-secret-0123456789" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var account = await hub.Client.GetJsonAsync("/api/v1/accounts");
        var tiny = Assert.Single(account.RootElement.EnumerateArray(), a => a.Str("id") == "tiny");
        Assert.Equal("Asia/Tbilisi", tiny.Str("timeZone"));
        Assert.Equal("GE", tiny.Str("country"));
        Assert.EndsWith("/hooks/tiny/tiny-secret-0123456789", tiny.Str("hookUrl"), StringComparison.Ordinal);

        foreach (var hook in (string[])[TinyPbx.Hook("c1", "start", 1_700_000_000), TinyPbx.Hook("c1", "end", 1_700_000_009)])
        {
            using var response = await hub.Client.GetAsync($"/hooks/tiny/tiny-secret-0123456789?{hook}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var call = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId("tiny", "c1")}");
        Assert.Equal("ended", call.RootElement.Str("state"));
        Assert.Equal("+995322000000", call.RootElement.GetProperty("from").Str("number"));
    }

    [Fact]
    public async Task AccountsAddHelp_MadeUpProviderInCatalog_ListsItWithItsZoneAndCountry()
    {
        var root = new RootCommand { AccountsCommand.Create(ProviderCatalog.Builtin.With(TinyPbx.Descriptor)) };
        var output = new StringWriter();

        await root.Parse(["accounts", "add", "--help"]).InvokeAsync(new InvocationConfiguration { Output = output });

        var help = output.ToString().ReplaceLineEndings(" ");
        Assert.Contains("sipuni, hooktype, evrotel, uis, tinypbx", help, StringComparison.Ordinal);
        Assert.Contains("tinypbx Asia/Tbilisi", help, StringComparison.Ordinal);
        Assert.Contains("tinypbx GE", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_MadeUpProviderWithGenerator_ListedInHelpAndItsTrafficIsSentAndAccepted()
    {
        await using var hub = await StartAsync();
        using (var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "tiny", provider = TinyPbx.Name, secret = "tiny-secret-0123456789" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // The command line as `pbxhub` builds it, from the catalog the provider joined by its one line.
        var root = new RootCommand { SimulateCommand.Create(ProviderCatalog.Builtin.With(TinyPbx.Descriptor)) };
        var help = new StringWriter();
        await root.Parse(["simulate", "--help"]).InvokeAsync(new InvocationConfiguration { Output = help });
        var exitCode = await root.Parse(["simulate", "--url", hub.BaseUrl, "--account", "tiny", "--secret", "tiny-secret-0123456789",
            "--provider", TinyPbx.Name, "--calls", "5", "--seed", "1"]).InvokeAsync();

        var helpText = string.Join(' ', help.ToString().Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("sipuni, hooktype, evrotel, tinypbx", helpText, StringComparison.Ordinal);
        Assert.Contains("evrotel Europe/Kyiv, tinypbx Asia/Tbilisi)", helpText, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        using var call = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId("tiny", "tiny-4")}");
        Assert.Equal("ended", call.RootElement.Str("state"));
    }

    [Fact]
    public async Task Simulate_RegisteredProviderWithoutGenerator_SaysItHasNoSimulator()
    {
        var output = new StringWriter();
        var options = new SimulationOptions { Account = "u", Secret = "s", Provider = "uis" };

        Assert.Equal(2, await SimulateCommand.RunAsync(options, Console(output), TimeProvider.System, CancellationToken.None));
        Assert.Contains("--provider 'uis' has no simulator; these have one: sipuni, hooktype, evrotel", output.ToString().ReplaceLineEndings(""), StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_ProviderWithoutItsTexts_RefusedNamingWhatIsMissing()
    {
        var bare = TinyPbx.Descriptor with { TextsRu = new Dictionary<string, string> { ["provider.tinypbx"] = "TinyPbx" } };

        var error = Assert.Throws<InvalidOperationException>(() => ProviderCatalog.Builtin.With(bare));

        Assert.Contains("provider 'tinypbx' has no Russian text 'missed.unsupported.tinypbx'", error.Message, StringComparison.Ordinal);
    }

    private static IAnsiConsole Console(StringWriter output) => TestConsoles.Plain(output);
}
