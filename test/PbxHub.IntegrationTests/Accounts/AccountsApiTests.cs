using System.Net;
using System.Net.Http.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Accounts;

/// <summary><c>/api/v1/accounts</c>: the accounts a hub answers hooks for.</summary>
public sealed class AccountsApiTests
{
    private static readonly string[] Arrival = [SipuniHooks.Arrival("acc-1", "89031234567", "84951234567", 1_700_000_000)];

    [Fact]
    public async Task ListAccounts_ConfigurationDeclaredAccount_IsListedWithItsHookUrl()
    {
        await using var hub = await HubServer.StartAsync();
        using var doc = await hub.Client.GetJsonAsync("/api/v1/accounts");
        var demo = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("demo", demo.Str("id"));
        Assert.Equal("sipuni", demo.Str("provider"));
        Assert.Equal("Europe/Moscow", demo.Str("timeZone"));
        Assert.Equal("RU", demo.Str("country"));
        Assert.Equal("configuration", demo.Str("source"));
        Assert.Equal(hub.BaseUrl.TrimEnd('/') + hub.HookPath, demo.Str("hookUrl"));
        Assert.False(demo.TryGetProperty("secret", out _), "the account list must not show secrets as a field");
    }

    [Fact]
    public async Task CreateAccount_ValidInput_Answers201AndItsHookUrlTakesEvents()
    {
        await using var hub = await HubServer.StartAsync();
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new
        {
            id = "acme",
            provider = "sipuni",
            timeZone = "Asia/Yekaterinburg",
            settings = new Dictionary<string, string> { ["Sipuni:UserNumber"] = "054321" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.EndsWith("/api/v1/accounts/acme", created.Headers.Location?.ToString(), StringComparison.Ordinal);
        using var view = await created.ReadJsonAsync();
        Assert.Equal("acme", view.RootElement.Str("id"));
        Assert.Equal("database", view.RootElement.Str("source"));
        Assert.Equal("Asia/Yekaterinburg", view.RootElement.Str("timeZone"));
        var hookUrl = view.RootElement.Str("hookUrl")!;
        Assert.StartsWith(hub.BaseUrl.TrimEnd('/') + "/hooks/acme/", hookUrl, StringComparison.Ordinal);

        using (var hook = await hub.Client.GetAsync(hookUrl + "?" + Arrival[0]))
        {
            await HttpJson.AssertSipuniSuccessAsync(hook, "event to the new account's hook URL");
        }

        using var call = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId("acme", "acc-1")}");
        Assert.Equal("acme", call.RootElement.Str("account"));
        using var list = await hub.Client.GetJsonAsync("/api/v1/accounts");
        Assert.Equal(["acme", "demo"], list.RootElement.EnumerateArray().Select(a => a.Str("id") ?? "<null>").ToArray());

        // A wrong secret on the new account is still refused.
        using var forbidden = await hub.Client.GetAsync($"/hooks/acme/wrong-secret?{Arrival[0]}");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task CreateAccount_GivenSecret_HookUrlCarriesIt()
    {
        await using var hub = await HubServer.StartAsync();
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "given", provider = "sipuni", secret = "my-own-secret-1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var view = await created.ReadJsonAsync();
        Assert.Equal(hub.BaseUrl.TrimEnd('/') + "/hooks/given/my-own-secret-1", view.RootElement.Str("hookUrl"));
        using var hook = await hub.Client.GetAsync($"/hooks/given/my-own-secret-1?{Arrival[0]}");
        await HttpJson.AssertSipuniSuccessAsync(hook, "event with the given secret");
    }

    public static TheoryData<string, object> InvalidInputs => new()
    {
        { "bad slug", new { id = "Not A Slug!", provider = "sipuni" } },
        { "empty id", new { id = "", provider = "sipuni" } },
        { "unknown provider", new { id = "acme", provider = "asterisk" } },
        { "no provider", new { id = "acme" } },
        { "bad time zone", new { id = "acme", provider = "sipuni", timeZone = "Mars/Olympus_Mons" } },
        { "short secret", new { id = "acme", provider = "sipuni", secret = "short" } },
        { "bad country", new { id = "acme", provider = "sipuni", country = "XX" } },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task CreateAccount_InvalidInput_Answers400ProblemAndCreatesNothing(string scenario, object input)
    {
        await using var hub = await HubServer.StartAsync();
        using var response = await hub.Client.PostAsJsonAsync("/api/v1/accounts", input);
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.RootElement.TryGetProperty("errors", out _) || problem.RootElement.Str("detail") is not null, scenario);
        using var list = await hub.Client.GetJsonAsync("/api/v1/accounts");
        Assert.Equal(["demo"], list.RootElement.EnumerateArray().Select(a => a.Str("id") ?? "<null>").ToArray());
    }

    [Fact]
    public async Task CreateAccount_MalformedJson_Answers400()
    {
        await using var hub = await HubServer.StartAsync();
        using var response = await hub.Client.PostAsync("/api/v1/accounts", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task CreateAccount_Duplicate_Answers409Problem()
    {
        await using var hub = await HubServer.StartAsync();
        using (var first = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "acme", provider = "sipuni" }))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using var again = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "acme", provider = "sipuni" });
        using var p1 = await HttpJson.AssertProblemAsync(again, HttpStatusCode.Conflict);
        using var configured = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "demo", provider = "sipuni" });
        using var p2 = await HttpJson.AssertProblemAsync(configured, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task DeleteAccount_ConfigurationDeclared_Answers409AndKeepsTakingEvents()
    {
        await using var hub = await HubServer.StartAsync();
        using var response = await hub.Client.DeleteAsync("/api/v1/accounts/demo");
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.Conflict);
        await hub.Client.SendHooksAsync(hub.HookPath, Arrival);
    }

    [Fact]
    public async Task DeleteAccount_Created_Answers204AndItsHooksAnswer404StoringNothing()
    {
        await using var hub = await HubServer.StartAsync();
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "gone", provider = "sipuni", secret = "gone-secret-123" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var before = await hub.Client.GetAsync($"/hooks/gone/gone-secret-123?{Arrival[0]}"))
        {
            await HttpJson.AssertSipuniSuccessAsync(before, "before delete");
        }

        using var deleted = await hub.Client.DeleteAsync("/api/v1/accounts/gone");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var rowsBefore = (await HubDatabase.RawEventsAsync(hub.DataDirectory)).Count;

        var after = SipuniHooks.Arrival("acc-2", "89031234567", "84951234567", 1_700_000_100);
        using var hook = await hub.Client.GetAsync($"/hooks/gone/gone-secret-123?{after}");
        using var problem = await HttpJson.AssertProblemAsync(hook, HttpStatusCode.NotFound);
        Assert.Equal(rowsBefore, (await HubDatabase.RawEventsAsync(hub.DataDirectory)).Count);
        await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId("gone", "acc-2")}", HttpStatusCode.NotFound);

        using var list = await hub.Client.GetJsonAsync("/api/v1/accounts");
        Assert.DoesNotContain(list.RootElement.EnumerateArray(), a => a.Str("id") == "gone");
        using var twice = await hub.Client.DeleteAsync("/api/v1/accounts/gone");
        using var p2 = await HttpJson.AssertProblemAsync(twice, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeleteAccount_Unknown_Answers404Problem()
    {
        await using var hub = await HubServer.StartAsync();
        using var response = await hub.Client.DeleteAsync("/api/v1/accounts/nobody");
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreatedAccount_AfterRestart_StillAnswersHooks()
    {
        var data = HubProcess.NewDataDirectory();
        string hookPath;
        await using (var hub = await HubServer.StartAsync(dataDirectory: data))
        {
            using var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = "kept", provider = "sipuni" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var view = await created.ReadJsonAsync();
            hookPath = new Uri(view.RootElement.Str("hookUrl")!).AbsolutePath;
        }

        await using var again = await HubServer.StartAsync(dataDirectory: data);
        using var hook = await again.Client.GetAsync($"{hookPath}?{Arrival[0]}");
        await HttpJson.AssertSipuniSuccessAsync(hook, "event after restart");
    }

    [Fact]
    public async Task AccountsFromEnvironmentVariables_RealProcess_AreListedAndAnswerHooks()
    {
        var data = HubProcess.NewDataDirectory();
        var environment = HubProcess.DemoEnvironment();
        environment["PbxHub__Accounts__1__Id"] = "env-two";
        environment["PbxHub__Accounts__1__Provider"] = "sipuni";
        environment["PbxHub__Accounts__1__Secret"] = "env-two-secret";
        environment["PbxHub__Accounts__1__TimeZone"] = "Europe/Samara";
        await using var hub = await HubProcess.StartAsync(data, environment);

        using var list = await hub.Client.GetJsonAsync("/api/v1/accounts");
        var accounts = list.RootElement.EnumerateArray().ToDictionary(a => a.Str("id")!, a => a);
        Assert.Equal(["demo", "env-two"], accounts.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("configuration", accounts["env-two"].Str("source"));
        Assert.Equal("Europe/Samara", accounts["env-two"].Str("timeZone"));

        await hub.Client.SendHooksAsync(hub.HookPath, Arrival);
        await hub.Client.SendHooksAsync("/hooks/env-two/env-two-secret", Arrival);
        await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId("demo", "acc-1")}");
        await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId("env-two", "acc-1")}");
        using var delete = await hub.Client.DeleteAsync("/api/v1/accounts/env-two");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
    }
}
