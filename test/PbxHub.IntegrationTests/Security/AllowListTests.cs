using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Security;

/// <summary>
/// An account's <c>Network:AllowedNetworks</c>: hooks from inside are taken, from outside denied as a wrong secret
/// is; sources are simulated with <c>X-Forwarded-For</c> from the proxy at 127.0.0.1, which the hub is told to trust.
/// </summary>
public sealed class AllowListTests
{
    private const string Allowed = "203.0.113.0/24, 2001:db8:1::/48";

    public static TheoryData<string, string, bool> Sources => new()
    {
        { "sipuni", "203.0.113.9", true },
        { "sipuni", "2001:db8:1:ff::5", true },
        { "sipuni", "::ffff:203.0.113.10", true },
        { "sipuni", "198.51.100.1", false },
        { "sipuni", "2001:db8:2::1", false },
        { "hooktype", "203.0.113.9", true },
        { "hooktype", "203.0.114.1", false },
        { "evrotel", "2001:db8:1::7", true },
        { "evrotel", "198.51.100.1", false },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Hook_WithAllowList_InsideAcceptedOutsideDeniedAndNotStored(string provider, string source, bool inside)
    {
        await using var hub = await NetworkHub.StartAsync([NetworkHub.LocalProxy, new(NetworkHub.AccountKey(provider, "Network:AllowedNetworks"), Allowed)]);
        using var response = await hub.Client.SendAsync(NetworkHub.Hook(provider, 1, source));
        if (inside)
        {
            await NetworkHub.AssertAcceptedAsync(provider, response);
            Assert.Single(await NetworkHub.StoredAsync(hub, NetworkHub.AccountOf(provider)));
        }
        else
        {
            await NetworkHub.AssertProviderFailureAsync(provider, response, HttpStatusCode.Forbidden);
            Assert.Empty(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        }
    }

    [Fact]
    public async Task Hook_AllowListOnOneAccount_OtherAccountsTakeAnySource()
    {
        await using var hub = await NetworkHub.StartAsync([NetworkHub.LocalProxy, new(NetworkHub.AccountKey("evrotel", "Network:AllowedNetworks"), Allowed)]);
        using var response = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", 1, "198.51.100.1"));
        await NetworkHub.AssertAcceptedAsync("sipuni", response);
    }

    [Fact]
    public async Task Hook_ForwardedForWithoutKnownProxy_IsIgnored()
    {
        await using var hub = await NetworkHub.StartAsync([new(NetworkHub.AccountKey("sipuni", "Network:AllowedNetworks"), "203.0.113.0/24")]);
        using (var claimsInside = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", 1, "203.0.113.9")))
        {
            await NetworkHub.AssertProviderFailureAsync("sipuni", claimsInside, HttpStatusCode.Forbidden);
        }

        Assert.Empty(await HubDatabase.RawEventsAsync(hub.DataDirectory));
    }

    [Fact]
    public async Task Hook_ForwardedForFromKnownProxy_OnlyTheAddressTheProxyAddedCounts()
    {
        // nginx appends the address it saw; whatever the client wrote before it is not believed (ForwardLimit 1).
        await using var hub = await NetworkHub.StartAsync([NetworkHub.LocalProxy, new(NetworkHub.AccountKey("sipuni", "Network:AllowedNetworks"), "203.0.113.0/24")]);
        using (var spoofed = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", 1, "203.0.113.9, 198.51.100.1")))
        {
            await NetworkHub.AssertProviderFailureAsync("sipuni", spoofed, HttpStatusCode.Forbidden);
        }

        using var real = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", 2, "198.51.100.1, 203.0.113.9"));
        await NetworkHub.AssertAcceptedAsync("sipuni", real);
    }

    [Fact]
    public async Task Hook_KnownProxiesAsOneCommaSeparatedValue_Believed()
    {
        await using var hub = await NetworkHub.StartAsync(
        [
            new("PbxHub:Network:KnownProxies", "10.9.9.9, 127.0.0.1"),
            new(NetworkHub.AccountKey("sipuni", "Network:AllowedNetworks"), "203.0.113.0/24"),
        ]);
        using var response = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", 1, "203.0.113.9"));
        await NetworkHub.AssertAcceptedAsync("sipuni", response);
    }

    [Fact]
    public async Task CreateAccount_AllowedNetworksNotCidr_ValidationProblemNamingEachEntry()
    {
        await using var hub = await NetworkHub.StartAsync();
        using var response = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new
        {
            id = "guarded",
            provider = "sipuni",
            settings = new Dictionary<string, string> { ["Network:AllowedNetworks"] = "10.0.0.1/8, office, 203.0.113.0/24" },
        });
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var text = problem.RootElement.GetProperty("errors").GetRawText();
        Assert.Contains("'10.0.0.1/8' has bits set after its /8 prefix: the network is 10.0.0.0/8", text, StringComparison.Ordinal);
        Assert.Contains("'office' is not an IPv4 or IPv6 address or network", text, StringComparison.Ordinal);
        using var accounts = await hub.Client.GetJsonAsync("/api/v1/accounts");
        Assert.DoesNotContain(accounts.RootElement.EnumerateArray(), a => a.GetProperty("id").GetString() == "guarded");
    }

    [Fact]
    public async Task CreateAccount_WithAllowedNetworks_EnforcedOnItsHooks()
    {
        await using var hub = await NetworkHub.StartAsync([NetworkHub.LocalProxy]);
        using (var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new
        {
            id = "guarded",
            provider = "sipuni",
            secret = "guarded-secret-1",
            settings = new Dictionary<string, string> { ["Network:AllowedNetworks"] = "2001:db8::/32" },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var fields = SipuniHooks.Arrival("guarded-1", "89031234567", "84951234567", 1_700_000_000);
        using (var outside = await hub.Client.GetFromAsync($"/hooks/guarded/guarded-secret-1?{fields}", "203.0.113.9"))
        {
            await NetworkHub.AssertProviderFailureAsync("sipuni", outside, HttpStatusCode.Forbidden);
        }

        using var inside = await hub.Client.GetFromAsync($"/hooks/guarded/guarded-secret-1?{fields}", "2001:db8:5::1");
        await NetworkHub.AssertAcceptedAsync("sipuni", inside);
        Assert.Single(await NetworkHub.StoredAsync(hub, "guarded"));
    }

    [Fact]
    public async Task Start_AccountAllowedNetworksNotCidr_FailsNamingTheAccountAndEntry()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => NetworkHub.StartAsync(
            [new(NetworkHub.AccountKey("hooktype", "Network:AllowedNetworks"), "203.0.113.0/33")]));
        Assert.Contains($"PbxHub:Accounts:1 ('{NetworkHub.HookTypeAccount}')", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Network:AllowedNetworks: '203.0.113.0/33' is not an IPv4 or IPv6 address or network", ex.Message, StringComparison.Ordinal);
    }
}
