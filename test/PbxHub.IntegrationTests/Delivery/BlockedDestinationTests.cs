using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Delivery;

/// <summary>
/// <c>PbxHub:Delivery:BlockedNetworks</c>: a holder of an API key cannot make the hub send webhooks into networks the
/// operator closed (by default the link-local ones, where cloud metadata services answer).
/// </summary>
public sealed class BlockedDestinationTests
{
    private static readonly Dictionary<string, string> LoopbackBlocked = new() { ["PbxHub:Delivery:BlockedNetworks"] = "127.0.0.0/8, ::1" };

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fe80::1]:8080/hook")]
    public async Task Subscribe_AddressInsideTheDefaultBlockedNetworks_400NamingTheSettingAndNothingCreated(string url)
    {
        await using var hub = await HubServer.StartAsync();

        using var created = await hub.Client.PostAsJsonAsync("/api/v1/subscriptions", new { url });

        using var problem = await HttpJson.AssertProblemAsync(created, HttpStatusCode.BadRequest);
        Assert.Contains("PbxHub:Delivery:BlockedNetworks", problem.RootElement.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        using var list = await hub.Client.GetJsonAsync("/api/v1/subscriptions");
        Assert.Equal(0, list.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Deliver_NameThatResolvesInsideBlockedNetworks_NeverSentAndTheAttemptSaysWhy()
    {
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await HubServer.StartAsync(LoopbackBlocked);
        // By address it is refused at once; by a name it can only be judged when the hub connects.
        using (var byAddress = await hub.Client.PostAsJsonAsync("/api/v1/subscriptions", new { url = subscriber.Url }))
        {
            await HttpJson.AssertProblemAsync(byAddress, HttpStatusCode.BadRequest);
        }

        var byName = subscriber.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        var (id, _) = await hub.Client.SubscribeAsync(byName, new { eventTypes = new[] { "call.ended" } });
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("blocked1", "89161234567", "74951234567", "101", 1_700_000_000));

        var log = await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}/deliveries",
            l => l.GetProperty("items").GetArrayLength() == 1 && l.GetProperty("items")[0].GetProperty("attemptLog").GetArrayLength() >= 1, "the first attempt");
        var attempt = log.GetProperty("items")[0].GetProperty("attemptLog")[0];
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("statusCode").ValueKind);
        Assert.Contains("PbxHub:Delivery:BlockedNetworks", attempt.Str("error"), StringComparison.Ordinal);
        using var test = await (await hub.Client.PostAsync($"/api/v1/subscriptions/{id}/test", null)).ReadJsonAsync();
        Assert.False(test.RootElement.GetProperty("delivered").GetBoolean());
        Assert.Contains("PbxHub:Delivery:BlockedNetworks", test.RootElement.Str("error"), StringComparison.Ordinal);
        Assert.Empty(subscriber.Received);
    }

    [Fact]
    public async Task Deliver_LoopbackSubscriberWithTheDefaultSetting_Delivered()
    {
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await HubServer.StartAsync();
        await hub.Client.SubscribeAsync(subscriber.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), new { eventTypes = new[] { "call.ended" } });

        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("open1", "89161234567", "74951234567", "101", 1_700_000_000));

        await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Count() == 1, "the webhook through a name");
    }

    [Fact]
    public async Task Start_MalformedBlockedNetworks_FailsNamingKeyAndValue()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(
            () => HubServer.StartAsync(new Dictionary<string, string> { ["PbxHub:Delivery:BlockedNetworks"] = "169.254.0.0/16, metadata.internal" }));
        Assert.Contains("PbxHub:Delivery:BlockedNetworks: 'metadata.internal' is not an IPv4 or IPv6 address", ex.Message, StringComparison.Ordinal);
    }
}
