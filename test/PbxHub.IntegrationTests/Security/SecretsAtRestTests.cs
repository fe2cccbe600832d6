using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Providers.Evrotel;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Security;

/// <summary>
/// Secrets created through the API (a hook secret, provider credentials, webhook signing secrets) are nowhere in the
/// database in clear, and the hub still uses every one of them.
/// </summary>
public sealed class SecretsAtRestTests
{
    internal const string PathSecret = "PathSecret-Vault-4711";
    internal const string EvrotelToken = "EvrotelToken-Vault-0042";
    private const string UisPassword = "UisPassword-Vault-9000";
    private const string UisLogin = "vault-login";

    internal static async Task CreateAccountsAsync(HubServer hub, string? uisBaseUrl = null)
    {
        object[] accounts =
        [
            new { id = "vault-sipuni", provider = "sipuni", secret = PathSecret, settings = new Dictionary<string, string> { ["Sipuni:UserNumber"] = "012345" } },
            new { id = "vault-evrotel", provider = "evrotel", timeZone = "Europe/Kyiv", settings = new Dictionary<string, string> { ["Evrotel:Token"] = EvrotelToken } },
        ];
        if (uisBaseUrl is not null)
        {
            accounts = [.. accounts, new
            {
                id = "vault-uis", provider = "uis",
                settings = new Dictionary<string, string>
                {
                    ["Uis:BaseUrl"] = uisBaseUrl, ["Uis:Login"] = UisLogin, ["Uis:Password"] = UisPassword, ["Uis:ServiceNumber"] = "74993720692",
                },
            }];
        }

        foreach (var account in accounts)
        {
            using var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", account);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }
    }

    internal static string[] AnsweredCall(string callId) =>
        SipuniHooks.AnsweredInbound(callId, "89031234567", "74951234567", "101", 1_700_000_000);

    [Fact]
    public async Task SecretsCreatedThroughTheApi_TrafficSignedAndCallPlaced_NoneInClearAtRestAndAllStillWork()
    {
        await using var uis = await UisEmulator.StartAsync("http://127.0.0.1:0",
            new UisEmulatorOptions { Login = UisLogin, Password = UisPassword, ServiceNumbers = ["74993720692"] }, TimeProvider.System);
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await HubServer.StartAsync();
        await CreateAccountsAsync(hub, uis.BaseUrl);
        var (subscriptionId, firstSecret) = await hub.Client.SubscribeAsync(subscriber.Url, new { accounts = new[] { "vault-sipuni" } });

        // The hook secret still authenticates; a wrong one of the same length does not.
        await hub.Client.SendHooksAsync($"/hooks/vault-sipuni/{PathSecret}", AnsweredCall("vault-1"));
        using (var wrong = await hub.Client.SendHookAsync($"/hooks/vault-sipuni/{PathSecret[..^1]}X", AnsweredCall("vault-x")[0]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }

        // The Evrotel token still authenticates its hooks.
        var (evrotel, _) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"), EvrotelToken, path: "/hooks/vault-evrotel");
        Assert.Equal(HttpStatusCode.OK, evrotel.StatusCode);
        var (evrotelWrong, _) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"), EvrotelToken[..^1] + "X", path: "/hooks/vault-evrotel");
        Assert.Equal(HttpStatusCode.Forbidden, evrotelWrong.StatusCode);

        // Webhooks verify with the secret shown once; after a rotation both the new and (in its grace) the old are stored.
        await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Any(), "a webhook delivered");
        Assert.All(subscriber.Delivered, w => Assert.True(StandardWebhooksVerifier.Verify(firstSecret, w)));
        using var rotation = await hub.Client.PostAsync($"/api/v1/subscriptions/{subscriptionId}/rotate-secret", null);
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        var secondSecret = (await rotation.ReadJsonAsync()).RootElement.Str("secret")!;
        // The second call's webhooks: the first call's may still be arriving, signed before the rotation.
        const string SecondCall = "\"providerCallId\":\"vault-2\"";
        await hub.Client.SendHooksAsync($"/hooks/vault-sipuni/{PathSecret}", AnsweredCall("vault-2"));
        await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Any(w => w.Text.Contains(SecondCall, StringComparison.Ordinal)), "a webhook after the rotation");
        var afterRotation = subscriber.Delivered.Where(w => w.Text.Contains(SecondCall, StringComparison.Ordinal)).ToList();
        Assert.All(afterRotation, w => Assert.True(StandardWebhooksVerifier.Verify(secondSecret, w)));
        Assert.All(afterRotation, w => Assert.True(StandardWebhooksVerifier.Verify(firstSecret, w)));

        // UIS still accepts the stored login and password.
        using var placed = await hub.Client.PostAsJsonAsync("/api/v1/calls", new { account = "vault-uis", @operator = "89164572521", client = "+7 495 989-16-28" });
        var answer = await placed.Content.ReadAsStringAsync();
        Assert.True(placed.StatusCode == HttpStatusCode.OK, answer);
        Assert.Equal("placed", JsonDocument.Parse(answer).RootElement.Str("status"));

        // The API still masks the credentials, and shows no account as unusable.
        using var listed = await hub.Client.GetJsonAsync("/api/v1/accounts");
        Assert.All(listed.RootElement.EnumerateArray(), a => Assert.False(a.TryGetProperty("problem", out _)));

        string[] secrets =
        [
            PathSecret, EvrotelToken, UisPassword, firstSecret, secondSecret, firstSecret["whsec_".Length..], secondSecret["whsec_".Length..],
        ];
        var columns = await StoredText.AllColumnsAsync(hub.DataDirectory);
        StoredText.AssertAbsent(columns, secrets, "the database's columns");
        StoredText.AssertAbsent(StoredText.SqliteFileBytes(hub.DataDirectory), secrets, "the SQLite files");
        Assert.Contains("accounts.secret=pbxhub-enc:1:", columns, StringComparison.Ordinal);
        Assert.Contains("subscriptions.previous_secret=pbxhub-enc:1:", columns, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateSecret_ReplacedSecretNotTheStoredOne_NothingChanged()
    {
        await using var hub = await HubServer.StartAsync();
        var (id, secret) = await hub.Client.SubscribeAsync("http://127.0.0.1:1/unused");
        var store = hub.Services.GetRequiredService<PbxHub.Storage.ISubscriptionStore>();
        var current = (await store.FindAsync(id, default))!;
        var rotated = PbxHub.Delivery.Subscriptions.Rotate(current, TimeSpan.FromHours(1), TimeProvider.System.GetUtcNow());

        foreach (var wrong in new[] { secret[..^2] + (secret[^2] == 'A' ? "B=" : "A="), secret[..^1], secret + "A", "" })
        {
            Assert.False(await store.RotateSecretAsync(rotated, wrong, default), $"rotated with '{wrong}'");
        }

        Assert.Equal(secret, (await store.FindAsync(id, default))!.Secret);
        Assert.True(await store.RotateSecretAsync(rotated, secret, default));
        Assert.Equal(rotated.Secret, (await store.FindAsync(id, default))!.Secret);
    }
}
