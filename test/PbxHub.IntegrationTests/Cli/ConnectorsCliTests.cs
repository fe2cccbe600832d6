using PbxHub.IntegrationTests.Connectors.Bitrix24;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Cli;

/// <summary><c>pbxhub connectors add|remove|import-employees</c> as a real process on the hub's database.</summary>
public sealed class ConnectorsCliTests
{
    private static Task<CliResult> PbxHubAsync(params string[] args) => HubProcess.RunAsync(args, TimeSpan.FromSeconds(45));

    [Fact]
    public async Task ConnectorsAdd_ThenServed_CrmGetsTheCallsAndImportedEmployeesAreUsed()
    {
        var data = HubProcess.NewDataDirectory();
        var portalOptions = new Bitrix24EmulatorOptions();
        portalOptions.Users[11] = "103";
        await using var portal = await Bitrix24Emulator.StartAsync("http://127.0.0.1:0", portalOptions, TimeProvider.System);
        var add = await PbxHubAsync("connectors", "add", "cli-b24", "--crm", "bitrix24", "--employee", "101=5", "--default-user", "1",
            "--setting", $"Bitrix24:ClientId={portalOptions.ClientId}", "--setting", $"Bitrix24:ClientSecret={portalOptions.ClientSecret}",
            "--setting", $"Bitrix24:OAuthUrl={portal.BaseUrl}", "--data", data);
        Assert.True(add.ExitCode == 0, add.ToString());

        await using (var hub = await HubServer.StartAsync(dataDirectory: data))
        {
            using var http = new HttpClient();
            using var installed = await portal.InstallAsync(http, $"{hub.BaseUrl.TrimEnd('/')}/connectors/cli-b24/events");
            Assert.Equal(System.Net.HttpStatusCode.OK, installed.StatusCode);
            var import = await PbxHubAsync("connectors", "import-employees", "cli-b24", "--data", data);
            Assert.True(import.ExitCode == 0, import.ToString());
            Assert.Contains("103 → 11", import.Stdout, StringComparison.Ordinal);

            await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("cli-c", Bitrix24Rig.Client, Bitrix24Rig.Line, "103", 1_764_000_000L));
            await Webhooks.WaitUntilAsync(() => portal.Portal.Accepted.Any(r => r.Method == "telephony.externalCall.finish"), "the call reached the CRM");
            Assert.Equal(11, (int)Bitrix24Rig.P(portal.Portal.Accepted.Single(r => r.Method == "telephony.externalCall.finish"), "USER_ID")!);
        }

        var list = await PbxHubAsync("connectors", "list", "--data", data);
        Assert.Contains("cli-b24", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(portalOptions.ClientSecret, list.Stdout, StringComparison.Ordinal);
        var remove = await PbxHubAsync("connectors", "remove", "cli-b24", "--data", data);
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Equal(1, (await PbxHubAsync("connectors", "remove", "cli-b24", "--data", data)).ExitCode);
    }

    [Fact]
    public async Task ConnectorsAdd_WithoutClientSecret_ExitsNonZeroNamingTheSetting()
    {
        var data = HubProcess.NewDataDirectory();
        var add = await PbxHubAsync("connectors", "add", "bad", "--crm", "bitrix24", "--default-user", "1", "--setting", "Bitrix24:ClientId=local.1", "--data", data);

        Assert.Equal(1, add.ExitCode);
        Assert.Contains("Bitrix24:ClientSecret is required", add.Stderr, StringComparison.Ordinal);
    }
}
