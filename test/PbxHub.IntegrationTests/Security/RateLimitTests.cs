using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Security;

/// <summary>
/// Rate limits per account, per source, per API key. Windows are an hour long, so no permit comes back while a
/// test runs: what is refused depends on the count of requests alone, never on timing.
/// </summary>
public sealed class RateLimitTests
{
    private const string Hour = "01:00:00";

    [Theory]
    [MemberData(nameof(NetworkHub.Providers), MemberType = typeof(NetworkHub))]
    public async Task Hook_OverPerAccountLimit_Answers429InProviderShapeWithRetryAfterAndStoresNothing(string provider)
    {
        await using var hub = await NetworkHub.StartAsync(Limit("HooksPerAccount", 3));
        for (var n = 0; n < 3; n++)
        {
            using var accepted = await hub.Client.SendAsync(NetworkHub.Hook(provider, n));
            await NetworkHub.AssertAcceptedAsync(provider, accepted);
        }

        using var limited = await hub.Client.SendAsync(NetworkHub.Hook(provider, 3));
        await NetworkHub.AssertProviderFailureAsync(provider, limited, HttpStatusCode.TooManyRequests);
        AssertRetryAfterWithinTheHour(limited);

        var stored = await NetworkHub.StoredAsync(hub, NetworkHub.AccountOf(provider));
        Assert.Equal(3, stored.Count);
        Assert.All(stored, r => Assert.Equal("hook", r.Kind));
    }

    [Fact]
    public async Task Hook_OneAccountOverItsLimit_OtherAccountsStillAccepted()
    {
        await using var hub = await NetworkHub.StartAsync(Limit("HooksPerAccount", 1));
        using (var first = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", 0)))
        {
            await NetworkHub.AssertAcceptedAsync("sipuni", first);
        }

        using (var limited = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", 1)))
        {
            await NetworkHub.AssertProviderFailureAsync("sipuni", limited, HttpStatusCode.TooManyRequests);
        }

        using var other = await hub.Client.SendAsync(NetworkHub.Hook("hooktype", 0));
        await NetworkHub.AssertAcceptedAsync("hooktype", other);

        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var metrics = await anonymous.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("pbxhub_http_refused_total{", StringComparison.Ordinal)
            && l.Contains("reason=\"rate_limit_account\"", StringComparison.Ordinal) && l.Contains("surface=\"hooks\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hook_WrongSecretRequests_DoNotSpendTheAccountsAllowance()
    {
        await using var hub = await NetworkHub.StartAsync(Limit("HooksPerAccount", 2));
        for (var n = 0; n < 5; n++)
        {
            using var denied = await hub.Client.GetAsync($"/hooks/{HubServer.AccountId}/not-the-secret?call_id=x{n}");
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        for (var n = 0; n < 2; n++)
        {
            using var accepted = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", n));
            await NetworkHub.AssertAcceptedAsync("sipuni", accepted);
        }
    }

    [Fact]
    public async Task Hook_OverPerSourceLimit_429ForThatAddressOnly()
    {
        await using var hub = await NetworkHub.StartAsync([NetworkHub.LocalProxy, .. Limit("HooksPerSource", 2)]);
        const string Flooder = "203.0.113.7";
        for (var n = 0; n < 2; n++)
        {
            using var accepted = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", n, Flooder));
            await NetworkHub.AssertAcceptedAsync("sipuni", accepted);
        }

        // Whichever account it targets: the source is limited before the account is looked at.
        using (var limited = await hub.Client.SendAsync(NetworkHub.Hook("evrotel", 2, Flooder)))
        {
            await NetworkHub.AssertProviderFailureAsync("evrotel", limited, HttpStatusCode.TooManyRequests);
            AssertRetryAfterWithinTheHour(limited);
        }

        using (var unknownAccount = await hub.Client.GetFromAsync("/hooks/nosuch/secret-secret", Flooder))
        {
            using var problem = await HttpJson.AssertProblemAsync(unknownAccount, HttpStatusCode.TooManyRequests);
        }

        using var otherSource = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", 3, "198.51.100.9"));
        await NetworkHub.AssertAcceptedAsync("sipuni", otherSource);
        Assert.Equal(3, (await HubDatabase.RawEventsAsync(hub.DataDirectory)).Count);
    }

    [Fact]
    public async Task Api_OverPerKeyLimit_429ProblemWithRetryAfterAndOtherKeysUnaffected()
    {
        const string OtherKey = "second-api-key-0123456789";
        await using var hub = await NetworkHub.StartAsync([.. Limit("ApiPerKey", 3), new("PbxHub:ApiKeys:1", OtherKey)]);
        for (var n = 0; n < 3; n++)
        {
            using var ok = await hub.Client.GetAsync("/api/v1/calls");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var limited = await hub.Client.GetAsync("/api/v1/calls"))
        {
            using var problem = await HttpJson.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
            AssertRetryAfterWithinTheHour(limited);
        }

        using var other = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OtherKey);
        using var otherKey = await other.GetAsync("/api/v1/calls");
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task Api_OverPerSourceLimit_RefusesThatAddressWithOrWithoutAKey()
    {
        await using var hub = await NetworkHub.StartAsync([NetworkHub.LocalProxy, .. Limit("ApiPerSource", 2)]);
        using var guesser = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        guesser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "guessed-key");
        for (var n = 0; n < 2; n++)
        {
            using var unauthorized = await guesser.GetFromAsync("/api/v1/calls", "203.0.113.7");
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }

        using (var limited = await hub.Client.GetFromAsync("/api/v1/calls", "203.0.113.7"))
        {
            using var problem = await HttpJson.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
            AssertRetryAfterWithinTheHour(limited);
        }

        using var otherSource = await hub.Client.GetFromAsync("/api/v1/calls", "198.51.100.9");
        Assert.Equal(HttpStatusCode.OK, otherSource.StatusCode);
    }

    [Fact]
    public async Task Limits_PermitLimitZero_NothingRefused()
    {
        await using var hub = await NetworkHub.StartAsync([.. Limit("HooksPerAccount", 0), .. Limit("HooksPerSource", 0), .. Limit("ApiPerKey", 0), .. Limit("ApiPerSource", 0)]);
        for (var n = 0; n < 25; n++)
        {
            using var accepted = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", n));
            await NetworkHub.AssertAcceptedAsync("sipuni", accepted);
            using var read = await hub.Client.GetAsync("/api/v1/calls?limit=1");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
    }

    private static KeyValuePair<string, string>[] Limit(string name, int permits) =>
    [
        new($"PbxHub:Network:RateLimits:{name}:PermitLimit", permits.ToString(CultureInfo.InvariantCulture)),
        new($"PbxHub:Network:RateLimits:{name}:Window", Hour),
    ];

    private static void AssertRetryAfterWithinTheHour(HttpResponseMessage response)
    {
        var header = Assert.Single(response.Headers.GetValues("Retry-After"));
        var seconds = int.Parse(header, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 3600);
    }
}
