using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Connectors.Bitrix24;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;
using static PbxHub.IntegrationTests.Connectors.AmoCrm.AmoCrmRig;

namespace PbxHub.IntegrationTests.Connectors.AmoCrm;

/// <summary>amoCRM down, busy (429), OAuth installed through the redirect, tokens refreshed on the stand-in's clock, settings refused at start.</summary>
public sealed class AmoCrmResilienceTests
{
    [Fact]
    public async Task Deliver_AmoCrmDownThenUp_EachCallAddedOnceAfterwards()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_000_000));
        await using var rig = await AmoCrmRig.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        rig.Account.Down = true;
        var start = time.GetUtcNow().ToUnixTimeSeconds();
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath,
            Bitrix24ConnectorTests.TwoEmployeesSecondAnswers("amo-down-1", start).Concat(SipuniHooks.MissedInbound("amo-down-2", Client, Line, "102", start)));
        await Webhooks.WaitUntilAsync(() => rig.Emulator.Host.Requests.Count(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)) >= 2, "amoCRM tried while down");
        await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}", c => c.GetProperty("failingSince").ValueKind != System.Text.Json.JsonValueKind.Null, "the connector failing");

        for (var i = 0; i < 12; i++)
        {
            rig.Hub.Advance(time, TimeSpan.FromMinutes(5));
            await rig.Hub.DispatcherIdleAsync();
        }

        rig.Account.Down = false;
        var one = StableIds.CallId(HubServer.AccountId, "amo-down-1");
        var two = StableIds.CallId(HubServer.AccountId, "amo-down-2");
        // Once past the schedule's next retry (the last failed try came at most 50 min in, the next one at most 2 h + 20 %
        // later): a clock moved per poll would move while a request is on its way.
        rig.Hub.Advance(time, TimeSpan.FromHours(4));
        await Webhooks.WaitUntilAsync(() => rig.CallsOf(one).Count == 1 && rig.CallsOf(two).Count == 1, "both calls added after amoCRM came back", seconds: 60);
        await rig.Hub.DispatcherIdleAsync();
        Assert.Equal(2, rig.Account.Calls.Count);
        Assert.Equal(Boris, rig.CallsOf(one)[0].ResponsibleUserId);
        Assert.Equal(Admin, rig.CallsOf(two)[0].ResponsibleUserId);
    }

    [Fact]
    public async Task Deliver_TooManyRequests_RetriedThrottledThenAdded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_764_000_000));
        await using var rig = await AmoCrmRig.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time),
            settings: new Dictionary<string, string> { ["PbxHub:Connectors:0:Employees:101"] = "504142" });
        rig.Account.LimitNext(1);
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("amo-429", Client, Line, "103", time.GetUtcNow().ToUnixTimeSeconds()));
        var callId = StableIds.CallId(HubServer.AccountId, "amo-429");
        // Moved once, past the call's settle (2 s), and not again until the 429 is in: a clock moved while the call is on
        // its way (from the attempt's start, which stamps it, to the answer) would eat into the minute the throttled
        // retry must wait, and the check below would see that retry early.
        rig.Hub.Advance(time, TimeSpan.FromSeconds(3));
        await Webhooks.WaitUntilAsync(() => rig.Account.Requests.Any(r => r.Status == 429), "429 answered");

        rig.Hub.Advance(time, TimeSpan.FromSeconds(50));
        await rig.Hub.DispatcherIdleAsync();
        Assert.Single(rig.Account.Requests);
        rig.Hub.Advance(time, TimeSpan.FromSeconds(15));
        await Webhooks.WaitUntilAsync(() => rig.CallsOf(callId).Count == 1, "the call added after backing off");
    }

    [Fact]
    public async Task Install_OAuthCodeFromTheRedirect_InstalledAndTheCallAddedWithTheAccessToken()
    {
        await using var rig = await AmoCrmRig.StartAsync(oauth: true);

        var connector = await rig.Hub.Client.WaitForJsonAsync($"/api/v1/connectors/{ConnectorId}", c => c.GetProperty("installed").GetBoolean(), "installed");
        Assert.Equal(new Uri(rig.Emulator.BaseUrl).Authority, connector.Str("portal"));
        var exchange = Assert.Single(rig.Account.Requests, r => r.Path == "/oauth2/access_token");
        Assert.Equal("authorization_code", exchange.Body!.ToString());
        Assert.Equal(rig.InstallUrl, rig.Account.RedirectUri);
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("amo-oauth", Client, Line, "101", 1_764_000_000L));
        await Webhooks.WaitUntilAsync(() => rig.CallsOf(StableIds.CallId(HubServer.AccountId, "amo-oauth")).Count == 1, "the call added");
    }

    [Fact]
    public async Task Deliver_AccessTokenExpiredOnTheAccountsClock_RefreshedOnceAndNothingLost()
    {
        var accountTime = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var rig = await AmoCrmRig.StartAsync(oauth: true, accountTime: accountTime);
        var start = 1_764_000_000L;
        var hooks = Bitrix24ConnectorTests.TwoEmployeesSecondAnswers("amo-expiring", start);
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, hooks.Take(3));
        await Webhooks.WaitUntilAsync(() => rig.Account.Events.Count == 2, "both employees notified");
        var refreshBefore = rig.Account.RefreshToken;

        accountTime.Advance(TimeSpan.FromHours(25));
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, hooks.Skip(3));

        var callId = StableIds.CallId(HubServer.AccountId, "amo-expiring");
        await Webhooks.WaitUntilAsync(() => rig.CallsOf(callId).Count == 1, "the call added");
        Assert.Equal(1, rig.Account.Refreshes);
        Assert.NotEqual(refreshBefore, rig.Account.RefreshToken);
        Assert.Single(rig.Account.Requests, r => r.Status == 401);
        Assert.Equal(2, rig.Account.Events.Count);
    }

    [Fact]
    public async Task Deliver_TokenAboutToExpire_RefreshedBeforeTheCall()
    {
        await using var rig = await AmoCrmRig.StartAsync(oauth: true, account: new AmoCrmEmulatorOptions { TokenLifetime = TimeSpan.FromMinutes(4) });

        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("amo-early", Client, Line, "103", 1_764_000_000L));

        await Webhooks.WaitUntilAsync(() => rig.CallsOf(StableIds.CallId(HubServer.AccountId, "amo-early")).Count == 1, "the call added");
        Assert.Equal(1, rig.Account.Refreshes);
        Assert.DoesNotContain(rig.Account.Requests, r => r.Status == 401);
    }

    [Fact]
    public async Task Start_AmoCrmSettingsIncomplete_RefusedWithOneLinePerProblem()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Connectors:0:Id"] = "amo", ["PbxHub:Connectors:0:Crm"] = "amocrm", ["PbxHub:Connectors:0:DefaultUser"] = "admin",
            ["PbxHub:Connectors:0:AmoCrm:BaseUrl"] = "example.amocrm.ru", ["PbxHub:Connectors:0:AmoCrm:ClientId"] = "id",
            ["PbxHub:Connectors:0:AmoCrm:SettleFor"] = "02:00:00",
        }));

        var failures = ex.Failures.ToList();
        Assert.Contains(failures, f => f.Contains("PbxHub:Connectors:0:AmoCrm:BaseUrl 'example.amocrm.ru'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("AmoCrm:Token (a long-lived token) or AmoCrm:ClientId and AmoCrm:ClientSecret", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("DefaultUser 'admin' must be an amoCRM user id", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("AmoCrm:SettleFor '02:00:00'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Install_CodeForAnotherAccount_RefusedAndNotInstalled()
    {
        await using var rig = await AmoCrmRig.StartAsync(oauth: true);
        using var http = new HttpClient();

        using var other = await http.GetAsync($"{rig.InstallUrl}?code=whatever&referer=other.amocrm.ru");

        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Contains("other.amocrm.ru", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(rig.Account.Requests, r => r.Path == "/oauth2/access_token");
    }
}
