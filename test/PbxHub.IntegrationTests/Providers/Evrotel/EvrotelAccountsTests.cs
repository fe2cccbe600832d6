using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Providers.Evrotel;

/// <summary>Evrotel accounts authenticate by the token in the header: no secret, a hook URL without one.</summary>
public sealed class EvrotelAccountsTests
{
    private const string Token = "odesa-token-123";

    [Fact]
    public async Task CreateAccount_EvrotelWithTokenNoSecret_HookUrlWithoutSecretTakesEvents()
    {
        await using var hub = await HubServer.StartAsync();
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new
        {
            id = "odesa",
            provider = "evrotel",
            timeZone = "Europe/Kyiv",
            settings = new Dictionary<string, string> { ["Evrotel:Token"] = Token },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var view = await created.ReadJsonAsync();
        Assert.Equal("UA", view.RootElement.Str("country"));
        var hookUrl = view.RootElement.Str("hookUrl")!;
        Assert.Equal(hub.BaseUrl.TrimEnd('/') + "/hooks/odesa", hookUrl);
        Assert.Equal("***", view.RootElement.GetProperty("settings").Str("Evrotel:Token"));
        using var listed = await hub.Client.GetJsonAsync("/api/v1/accounts");
        Assert.DoesNotContain(Token, listed.RootElement.GetRawText(), StringComparison.Ordinal);

        var (start, callId) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"), Token, path: new Uri(hookUrl).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Matches("^[1-9][0-9]{14}$", callId);
        var (denied, _) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"), EvrotelHub.Token, path: "/hooks/odesa");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    /// <summary>The document's start (<c>2018-04-01 00:00:11</c>, Kyiv's wall clock) through the account's hook, and the call's start as served.</summary>
    private static async Task<string?> SpecStartServedAsync(HubServer hub, string account)
    {
        var (start, callId) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"), Token, path: "/hooks/" + account);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        using var call = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(account, callId)}");
        return call.RootElement.Str("startedAt");
    }

    [Fact]
    public async Task CreateAccount_EvrotelWithoutTimeZone_KyivAndCallsAtKyivTime()
    {
        await using var hub = await HubServer.StartAsync();
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new
        {
            id = "odesa",
            provider = "evrotel",
            settings = new Dictionary<string, string> { ["Evrotel:Token"] = Token },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var view = await created.ReadJsonAsync();
        Assert.Equal(("Europe/Kyiv", "UA"), (view.RootElement.Str("timeZone"), view.RootElement.Str("country")));

        Assert.Equal("2018-03-31T21:00:11Z", await SpecStartServedAsync(hub, "odesa"));
    }

    [Fact]
    public async Task AccountsAdd_EvrotelWithoutTimeZone_ListedInKyivAndCallsAtKyivTime()
    {
        var data = HubProcess.NewDataDirectory();
        var add = await HubProcess.RunAsync(
            ["accounts", "add", "odesa", "--provider", "evrotel", "--setting", $"Evrotel:Token={Token}", "--data", data], TimeSpan.FromSeconds(45));
        Assert.True(add.ExitCode == 0, add.ToString());

        await using var hub = await HubServer.StartAsync(dataDirectory: data);
        using var accounts = await hub.Client.GetJsonAsync("/api/v1/accounts");
        var odesa = accounts.RootElement.EnumerateArray().Single(a => a.Str("id") == "odesa");
        Assert.Equal("Europe/Kyiv", odesa.Str("timeZone"));
        Assert.Equal("2018-03-31T21:00:11Z", await SpecStartServedAsync(hub, "odesa"));
    }

    [Fact]
    public async Task CreateAccount_EvrotelWithoutToken_Answers400NamingTheSetting()
    {
        await using var hub = await HubServer.StartAsync();
        using var response = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new
        {
            id = "odesa",
            provider = "evrotel",
            settings = new Dictionary<string, string> { ["Evrotel:RecordingBaseUrl"] = "records.example" },
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("Evrotel:Token is required", text, StringComparison.Ordinal);
        Assert.Contains("Evrotel:RecordingBaseUrl 'records.example' must be an absolute http or https URL", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountsAdd_EvrotelWithTokenSetting_PrintsHookUrlWithoutSecretThatAServedHubAnswers()
    {
        var data = HubProcess.NewDataDirectory();
        var add = await HubProcess.RunAsync(
            ["accounts", "add", "odesa", "--provider", "evrotel", "--time-zone", "Europe/Kyiv", "--setting", $"Evrotel:Token={Token}",
             "--data", data, "--base-url", "http://hub.example"], TimeSpan.FromSeconds(45));
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("http://hub.example/hooks/odesa", add.Stdout.Split('\n', StringSplitOptions.TrimEntries));

        await using var hub = await HubServer.StartAsync(dataDirectory: data);
        var (start, callId) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"), Token, path: "/hooks/odesa");
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Matches("^[1-9][0-9]{14}$", callId);
    }

    [Fact]
    public async Task AccountsAdd_EvrotelWithoutToken_ExitsNonZeroNamingTheSetting()
    {
        var add = await HubProcess.RunAsync(
            ["accounts", "add", "odesa", "--provider", "evrotel", "--data", HubProcess.NewDataDirectory()], TimeSpan.FromSeconds(45));
        Assert.True(add.ExitCode != 0, add.ToString());
        Assert.Contains("Evrotel:Token is required", add.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ConfiguredEvrotelAccountWithoutToken_FailsNamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = "kyiv",
            ["PbxHub:Accounts:1:Provider"] = "evrotel",
        }));
        Assert.Contains("PbxHub:Accounts:1 ('kyiv'): Evrotel:Token is required", ex.Message, StringComparison.Ordinal);
    }
}
