using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Dapper;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Cli;

/// <summary>The <c>pbxhub</c> executable's verbs, run as a user runs them.</summary>
public sealed partial class CliTests
{
    private static readonly string[] Arrival = [SipuniHooks.Arrival("cli-1", "89031234567", "84951234567", 1_700_000_000)];

    [GeneratedRegex(@"http://hub\.example/hooks/acme/(?<secret>[^\s/]+)")]
    private static partial Regex AcmeHookUrl();

    private static Task<CliResult> PbxHubAsync(params string[] args) => HubProcess.RunAsync(args, TimeSpan.FromSeconds(45));

    [Fact]
    public async Task AccountsAdd_NewAccount_PrintsHookUrlThatAServedHubAnswers()
    {
        var data = HubProcess.NewDataDirectory();
        var add = await PbxHubAsync("accounts", "add", "acme", "--provider", "sipuni", "--data", data, "--base-url", "http://hub.example");
        Assert.True(add.ExitCode == 0, add.ToString());
        var match = AcmeHookUrl().Match(add.Stdout);
        Assert.True(match.Success, $"no hook URL http://hub.example/hooks/acme/<secret> in:\n{add}");
        var secret = match.Groups["secret"].Value;
        Assert.True(secret.Length >= 16, $"secret '{secret}' is too short to be a generated secret");

        await using var hub = await HubServer.StartAsync(dataDirectory: data);
        using var hook = await hub.Client.GetAsync($"/hooks/acme/{secret}?{Arrival[0]}");
        await HttpJson.AssertSipuniSuccessAsync(hook, "event to the hook URL printed by accounts add");
        await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId("acme", "cli-1")}");
    }

    [Fact]
    public async Task AccountsListAndRemove_AddedAccount_IsListedThenRemoved()
    {
        var data = HubProcess.NewDataDirectory();
        var add = await PbxHubAsync("accounts", "add", "acme", "--provider", "sipuni", "--data", data, "--base-url", "http://hub.example");
        Assert.True(add.ExitCode == 0, add.ToString());

        var list = await PbxHubAsync("accounts", "list", "--data", data, "--base-url", "http://hub.example");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("acme", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("sipuni", list.Stdout, StringComparison.Ordinal);

        var remove = await PbxHubAsync("accounts", "remove", "acme", "--data", data);
        Assert.True(remove.ExitCode == 0, remove.ToString());

        var after = await PbxHubAsync("accounts", "list", "--data", data);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.DoesNotContain("acme", after.Stdout, StringComparison.Ordinal);

        var secret = AcmeHookUrl().Match(add.Stdout).Groups["secret"].Value;
        await using var hub = await HubServer.StartAsync(dataDirectory: data);
        using var hook = await hub.Client.GetAsync($"/hooks/acme/{secret}?{Arrival[0]}");
        Assert.Equal(HttpStatusCode.NotFound, hook.StatusCode);
    }

    [Fact]
    public async Task AccountsAdd_Duplicate_ExitsNonZeroWithMessage()
    {
        var data = HubProcess.NewDataDirectory();
        var first = await PbxHubAsync("accounts", "add", "acme", "--provider", "sipuni", "--data", data);
        Assert.True(first.ExitCode == 0, first.ToString());
        var second = await PbxHubAsync("accounts", "add", "acme", "--provider", "sipuni", "--data", data);
        Assert.True(second.ExitCode != 0, second.ToString());
        Assert.Contains("acme", second.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad Slug", "sipuni")]
    [InlineData("acme", "asterisk")]
    public async Task AccountsAdd_InvalidInput_ExitsNonZeroAndAddsNothing(string id, string provider)
    {
        var data = HubProcess.NewDataDirectory();
        var add = await PbxHubAsync("accounts", "add", id, "--provider", provider, "--data", data);
        Assert.True(add.ExitCode != 0, add.ToString());
        Assert.False(string.IsNullOrWhiteSpace(add.Stderr), add.ToString());
        var list = await PbxHubAsync("accounts", "list", "--data", data);
        Assert.DoesNotContain(provider == "sipuni" ? "Bad Slug" : "asterisk", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountsRemove_Unknown_ExitsNonZero()
    {
        var remove = await PbxHubAsync("accounts", "remove", "nobody", "--data", HubProcess.NewDataDirectory());
        Assert.True(remove.ExitCode != 0, remove.ToString());
    }

    [Fact]
    public async Task KeysCreate_PrintedKey_IsAcceptedByTheServedApi()
    {
        var data = HubProcess.NewDataDirectory();
        var create = await PbxHubAsync("keys", "create", "--data", data);
        Assert.True(create.ExitCode == 0, create.ToString());
        var key = create.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single();

        await using var hub = await HubServer.StartAsync(dataDirectory: data);
        using var client = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var calls = await client.GetAsync("/api/v1/calls");
        Assert.Equal(HttpStatusCode.OK, calls.StatusCode);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key + "x");
        using var wrong = await client.GetAsync("/api/v1/calls");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var second = await PbxHubAsync("keys", "create", "--data", data);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.NotEqual(key, second.Stdout.Trim());
    }

    [Fact]
    public async Task Migrate_FreshFolder_ExitsZeroAndCreatesTheSchema()
    {
        var data = HubProcess.NewDataDirectory();
        var first = await PbxHubAsync("migrate", "--data", data);
        Assert.True(first.ExitCode == 0, first.ToString());
        var again = await PbxHubAsync("migrate", "--data", data);
        Assert.True(again.ExitCode == 0, again.ToString());

        Assert.True(TestStorage.Exists(data), $"no database for {data}");
        await using var connection = await TestStorage.OpenAsync(data);
        var tables = (await connection.QueryAsync<string>(TestStorage.IsPostgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
            : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).ToList();

        Assert.Contains("raw_events", tables);
        Assert.Contains("calls", tables);
        Assert.Contains("accounts", tables);
    }

    [Fact]
    public async Task Serve_ConfigFileDeclaringAnAccount_ServesThatAccount()
    {
        var data = HubProcess.NewDataDirectory();
        Directory.CreateDirectory(data);
        var file = Path.Combine(data, "pbxhub.json");
        await File.WriteAllTextAsync(file, """
            {
              "PbxHub": {
                "ApiKeys": [ "config-file-api-key-1" ],
                "Accounts": [
                  { "Id": "fromfile", "Provider": "sipuni", "Secret": "file-secret-123", "TimeZone": "Europe/Kaliningrad",
                    "Sipuni": { "UserNumber": "012345" } }
                ]
              }
            }
            """);
        await using var hub = await HubProcess.StartAsync(
            data, new Dictionary<string, string>(), apiKey: "config-file-api-key-1", extraArgs: ["--config", file]);

        using var list = await hub.Client.GetJsonAsync("/api/v1/accounts");
        var account = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal("fromfile", account.Str("id"));
        Assert.Equal("configuration", account.Str("source"));
        Assert.Equal("Europe/Kaliningrad", account.Str("timeZone"));

        await hub.Client.SendHooksAsync("/hooks/fromfile/file-secret-123", [SipuniHooks.Ring("cli-2", "89031234567", "101", 1_700_000_000)]);
        using var call = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId("fromfile", "cli-2")}");
        Assert.Equal("101", call.RootElement.GetProperty("legs")[0].GetProperty("party").Str("extension"));
    }

    [Fact]
    public async Task Serve_EnvironmentOverridesConfigFile_EnvironmentWins()
    {
        var data = HubProcess.NewDataDirectory();
        Directory.CreateDirectory(data);
        var file = Path.Combine(data, "pbxhub.json");
        await File.WriteAllTextAsync(file, """
            { "PbxHub": { "ApiKeys": [ "file-key-0000001" ],
              "Accounts": [ { "Id": "fromfile", "Provider": "sipuni", "Secret": "file-secret-123" } ] } }
            """);
        var environment = new Dictionary<string, string> { ["PbxHub__Accounts__0__Secret"] = "env-secret-4567" };
        await using var hub = await HubProcess.StartAsync(data, environment, apiKey: "file-key-0000001", extraArgs: ["--config", file]);

        using var old = await hub.Client.GetAsync($"/hooks/fromfile/file-secret-123?{Arrival[0]}");
        Assert.Equal(HttpStatusCode.Forbidden, old.StatusCode);
        await hub.Client.SendHooksAsync("/hooks/fromfile/env-secret-4567", Arrival);
    }
}
