using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Cli;

/// <summary><c>pbxhub replay</c> run as an operator runs it: in a shell with or without the service's configuration.</summary>
public sealed class ReplayCliTests
{
    private const long Start = 1_700_000_000;

    private static Task<CliResult> PbxHubAsync(string[] args, IDictionary<string, string>? environment = null) =>
        HubProcess.RunAsync(args, TimeSpan.FromSeconds(45), environment);

    [Fact]
    public async Task Replay_ShellWithoutTheConfiguredAccounts_FailsKeepingTheirCallsAndNamingThem()
    {
        var data = HubProcess.NewDataDirectory();
        await using (var hub = await HubProcess.StartAsync(data, HubProcess.DemoEnvironment()))
        {
            await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("rp-1", "89031234567", "84951234567", "101", Start));
            await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.MissedInbound("rp-2", "89031234568", "84951234567", "101", Start + 60));
        }

        var bare = await PbxHubAsync(["replay", "--data", data]);

        Assert.True(bare.ExitCode == 1, bare.ToString());
        Assert.Contains("Nothing replayed: every raw event in ", bare.Stderr, StringComparison.Ordinal);
        Assert.Contains("does not declare: demo (7 raw events)", bare.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Replayed", bare.Stdout, StringComparison.Ordinal);
        await using (var hub = await HubProcess.StartAsync(data, HubProcess.DemoEnvironment()))
        {
            using var calls = await hub.Client.GetJsonAsync("/api/v1/calls");
            Assert.Equal(2, calls.RootElement.GetProperty("items").GetArrayLength());
        }
    }

    [Fact]
    public async Task Replay_ShellDeclaringOneOfTwoAccounts_RebuildsItAndKeepsTheOthersCalls()
    {
        var data = HubProcess.NewDataDirectory();
        var both = new Dictionary<string, string>(HubProcess.DemoEnvironment())
        {
            ["PbxHub__Accounts__1__Id"] = "branch",
            ["PbxHub__Accounts__1__Provider"] = "sipuni",
            ["PbxHub__Accounts__1__Secret"] = "branch-secret-0123456789",
            ["PbxHub__Accounts__1__Sipuni__UserNumber"] = "054321",
        };
        await using (var hub = await HubProcess.StartAsync(data, both))
        {
            await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("rp-4", "89031234567", "84951234567", "101", Start));
            await hub.Client.SendHooksAsync("/hooks/branch/branch-secret-0123456789", SipuniHooks.MissedInbound("rp-5", "89031234568", "84957654321", "102", Start));
        }

        var demoOnly = await PbxHubAsync(["replay", "--data", data], HubProcess.DemoEnvironment());

        Assert.True(demoOnly.ExitCode == 0, demoOnly.ToString());
        Assert.Contains("Replayed 4 raw events into 1 calls", demoOnly.Stdout, StringComparison.Ordinal);
        Assert.Contains("Left alone, with their calls kept as they were: accounts this configuration does not declare: branch (3 raw events)", demoOnly.Stderr, StringComparison.Ordinal);
        await using (var hub = await HubProcess.StartAsync(data, both))
        {
            using var calls = await hub.Client.GetJsonAsync("/api/v1/calls");
            var accounts = calls.RootElement.GetProperty("items").EnumerateArray().Select(c => c.Str("account")).Order(StringComparer.Ordinal);
            Assert.Equal(["branch", "demo"], accounts);
        }
    }

    [Fact]
    public async Task Replay_ConfiguredShell_CountsTheRawEventsItReplayed()
    {
        var data = HubProcess.NewDataDirectory();
        await using (var hub = await HubProcess.StartAsync(data, HubProcess.DemoEnvironment()))
        {
            await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("rp-3", "89031234567", "84951234567", "101", Start));
        }

        var replay = await PbxHubAsync(["replay", "--data", data], HubProcess.DemoEnvironment());

        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains("Replayed 4 raw events into 1 calls", replay.Stdout, StringComparison.Ordinal);
        Assert.Equal("", replay.Stderr.Trim());
    }

    [SqliteFact]
    public async Task Replay_FolderWithoutDatabase_RefusesAndCreatesNone()
    {
        var data = HubProcess.NewDataDirectory();

        var replay = await PbxHubAsync(["replay", "--data", data]);

        Assert.True(replay.ExitCode != 0, replay.ToString());
        Assert.Contains($"No database at {Path.Combine(data, "pbxhub.db")}", replay.Stderr, StringComparison.Ordinal);
        Assert.False(TestStorage.Exists(data), "replay created a database in the wrong folder");
    }

    [PostgresFact]
    public async Task Replay_PostgresDatabaseWithoutPbxHubTables_RefusesAndCreatesNone()
    {
        var data = HubProcess.NewDataDirectory();

        var replay = await PbxHubAsync(["replay", "--data", data]);

        Assert.True(replay.ExitCode != 0, replay.ToString());
        Assert.Contains("No PbxHub tables in the PostgreSQL database hub_", replay.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", replay.Stderr, StringComparison.Ordinal);
        await using var connection = await TestStorage.OpenAsync(data);
        await using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()";
        Assert.Equal(0L, await tables.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task Replay_PostgresDatabaseThatDoesNotExist_RefusesNamingIt()
    {
        var data = HubProcess.NewDataDirectory();
        var server = TestStorage.Settings(data)["PbxHub:Storage:ConnectionString"];
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "no_such_hub_db" }.ToString();

        var replay = await PbxHubAsync(["replay", "--data", data], new Dictionary<string, string> { ["PbxHub__Storage__ConnectionString"] = missing });

        Assert.True(replay.ExitCode != 0, replay.ToString());
        Assert.Contains("No database no_such_hub_db on the PostgreSQL server", replay.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", replay.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_DatabaseWithoutRawEvents_SaysItFoundNone()
    {
        var data = HubProcess.NewDataDirectory();
        var migrate = await PbxHubAsync(["migrate", "--data", data]);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());

        var replay = await PbxHubAsync(["replay", "--data", data]);

        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains("No raw events found in", replay.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Replayed", replay.Stdout, StringComparison.Ordinal);
    }
}
