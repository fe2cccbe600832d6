using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Logging;

/// <summary>
/// The console output of the real <c>pbxhub serve</c> process, logging everything down to Debug (ASP.NET Core's
/// request lines and HttpClient's included), while it takes hooks of three providers, API calls and failing
/// webhook deliveries: no secret and no whole phone number reaches it.
/// </summary>
public sealed class LogMaskingTests
{
    private const string HookTypeSecret = ThreeProviders.HookTypeSecret;
    private const string EvrotelToken = ThreeProviders.EvrotelToken;
    private const string CrmToken = "crm-query-token-55667788";
    private const string WrongSecret = "wrong-secret-abcdef123";
    private const string Caller = "79161234567";
    private const string Line = "74951112233";
    private const string SpacedCaller = "+7 (903) 765-43-21";
    private const string UkrainianCaller = "0987858227";

    private static Dictionary<string, string> Environment(string? maskPhoneNumbers)
    {
        var environment = ThreeProviders.Environment();
        environment["Logging__LogLevel__Default"] = "Debug";
        environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug";
        environment["Logging__LogLevel__System.Net.Http"] = "Debug";
        environment["Logging__Console__ColorBehavior"] = "Disabled";
        if (maskPhoneNumbers is not null)
        {
            environment["PbxHub__Logging__MaskPhoneNumbers"] = maskPhoneNumbers;
        }

        return environment;
    }

    [Fact]
    public async Task Serve_DebugLoggingOfHooksApiAndFailingDeliveries_NoSecretOrWholeNumberInOutput()
    {
        await using var subscriber = await Subscriber.StartAsync();
        subscriber.Answer = _ => (500, null, TimeSpan.Zero);
        await using var hub = await HubProcess.StartAsync(HubProcess.NewDataDirectory(), Environment(maskPhoneNumbers: null));

        var (_, webhookSecret) = await hub.Client.SubscribeAsync(subscriber.Url + "?token=" + CrmToken);
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("1419783130.15593", Caller, Line, "101", 1_700_000_000));
        await hub.Client.SendHooksAsync(hub.HookPath, [SipuniHooks.Arrival("1419783131.15594", SpacedCaller, Line, 1_700_000_100)]);
        using (var wrong = await hub.Client.GetAsync($"/hooks/{HubServer.AccountId}/{WrongSecret}?" + SipuniHooks.Arrival("x1", Caller, Line, 1_700_000_200)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }

        var hookType = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hooktype", "CreateIncCall.json"));
        using (var posted = await hub.Client.PostAsync(
            $"/hooks/ht/{HookTypeSecret}?Caller={Caller}", new StringContent(hookType, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        using (var evrotel = new HttpRequestMessage(HttpMethod.Post, "/hooks/kyiv")
        {
            Content = new StringContent(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "evrotel", "start.json")), Encoding.UTF8, "application/json"),
        })
        {
            evrotel.Headers.TryAddWithoutValidation("Authorization", EvrotelToken);
            using var answered = await hub.Client.SendAsync(evrotel);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        // A client that puts its key where it does not belong: the request line carries it.
        using (var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) })
        using (var misplaced = await anonymous.GetAsync($"/api/v1/calls?number={Caller}&access_token={HubServer.ApiKey}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, misplaced.StatusCode);
        }

        using (await hub.Client.GetAsync($"/api/v1/calls?number={Uri.EscapeDataString("+" + Caller)}"))
        {
        }

        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count >= 2, "failing deliveries attempted");
        await WaitForOutputAsync(hub, "/hooks/kyiv", "/api/v1/calls?number=", "Sending HTTP request POST " + subscriber.Url);

        var output = hub.Output;
        foreach (var secret in new[] { HubServer.Secret, HookTypeSecret, EvrotelToken, HubServer.ApiKey, webhookSecret, webhookSecret["whsec_".Length..], CrmToken, WrongSecret })
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"the log shows the secret {secret}:\n{output}");
        }

        foreach (var number in new[] { Caller, Line, "903) 765-43-21", "9037654321", UkrainianCaller })
        {
            Assert.False(output.Contains(number, StringComparison.Ordinal), $"the log shows the number {number}:\n{output}");
        }

        // The masked forms are there: the lines were logged, not dropped.
        Assert.Contains($"/hooks/{HubServer.AccountId}/***?", output, StringComparison.Ordinal);
        Assert.Contains("/hooks/ht/***?", output, StringComparison.Ordinal);
        Assert.Contains("src_num=7******4567", output, StringComparison.Ordinal);
        Assert.Contains("access_token=***", output, StringComparison.Ordinal);
        Assert.Contains("1419783130.15593", output, StringComparison.Ordinal); // a provider's call id is not a number to hide
    }

    [Fact]
    public async Task Serve_MaskPhoneNumbersOff_NumbersShownSecretsStillHidden()
    {
        await using var hub = await HubProcess.StartAsync(HubProcess.NewDataDirectory(), Environment(maskPhoneNumbers: "false"));
        await hub.Client.SendHooksAsync(hub.HookPath, [SipuniHooks.Arrival("1419783140.1", Caller, Line, 1_700_000_000)]);
        await WaitForOutputAsync(hub, "src_num=");

        var output = hub.Output;
        Assert.Contains("src_num=" + Caller, output, StringComparison.Ordinal);
        Assert.Contains($"/hooks/{HubServer.AccountId}/***?", output, StringComparison.Ordinal);
        Assert.DoesNotContain(HubServer.Secret, output, StringComparison.Ordinal);
    }

    /// <summary>The console logger writes on its own thread: wait until what the test did has been printed.</summary>
    private static async Task WaitForOutputAsync(HubProcess hub, params string[] fragments)
    {
        var missing = fragments;
        for (var i = 0; i < 100 && missing.Length > 0; i++)
        {
            await Task.Delay(100);
            missing = fragments.Where(f => !hub.Output.Contains(f, StringComparison.Ordinal)).ToArray();
        }

        Assert.True(missing.Length == 0, $"not printed: {string.Join(", ", missing)}\n{hub.Output}");
    }
}
