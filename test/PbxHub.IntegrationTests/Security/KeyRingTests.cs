using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Security;

/// <summary>The key ring decides who can read the stored secrets: its loss, its place in the database, clear rows of old versions.</summary>
public sealed class KeyRingTests
{
    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "pbxhub-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task DatabaseWithoutItsKeyRing_StartsAndReportsAccountsAndSubscriptionsUnusable_RevealsNothing()
    {
        var data = NewFolder();
        await using var subscriber = await Subscriber.StartAsync();
        string subscriptionId;
        await using (var first = await HubServer.StartAsync(dataDirectory: data))
        {
            await SecretsAtRestTests.CreateAccountsAsync(first);
            (subscriptionId, _) = await first.Client.SubscribeAsync(subscriber.Url);
        }

        // The same database, as restored on another machine without the key ring.
        var strangerKeys = new Dictionary<string, string> { ["PbxHub:Security:KeysDirectory"] = NewFolder() };
        await using (var stranger = await HubServer.StartAsync(strangerKeys, dataDirectory: data))
        {
            using var accounts = await stranger.Client.GetJsonAsync("/api/v1/accounts");
            var sipuni = accounts.RootElement.EnumerateArray().Single(a => a.Str("id") == "vault-sipuni");
            Assert.Contains("Unusable", sipuni.Str("problem"), StringComparison.Ordinal);
            Assert.Contains("key ring", sipuni.Str("problem"), StringComparison.Ordinal);
            Assert.Null(sipuni.Str("hookUrl"));
            Assert.Empty(sipuni.GetProperty("settings").EnumerateObject());
            var evrotel = accounts.RootElement.EnumerateArray().Single(a => a.Str("id") == "vault-evrotel");
            Assert.Contains("key ring", evrotel.Str("problem"), StringComparison.Ordinal);

            // Its hooks are told to come back later (nothing stored, nothing lost), not that the account is unknown.
            var rawBefore = (await HubDatabase.RawEventsAsync(data)).Count;
            using var hook = await stranger.Client.SendHookAsync($"/hooks/vault-sipuni/{SecretsAtRestTests.PathSecret}", SecretsAtRestTests.AnsweredCall("k-1")[0]);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, hook.StatusCode);
            Assert.Equal(rawBefore, (await HubDatabase.RawEventsAsync(data)).Count);

            // The subscription says why nothing is sent, and nothing is: not unsigned, not signed with a wrong key.
            using var subscription = await stranger.Client.GetJsonAsync($"/api/v1/subscriptions/{subscriptionId}");
            Assert.Contains("key ring", subscription.RootElement.Str("problem"), StringComparison.Ordinal);
            await stranger.Client.SendHooksAsync(stranger.HookPath, SecretsAtRestTests.AnsweredCall("k-2"));
            var events = await stranger.Client.EventIdsAsync(StableIds.CallId(HubServer.AccountId, "k-2"));
            var deliveries = $"/api/v1/subscriptions/{subscriptionId}/deliveries";
            await stranger.Client.WaitForJsonAsync(deliveries, l => events.All(e => l.GetProperty("items").EnumerateArray().Any(d => d.Str("eventId") == e)),
                "the call's deliveries queued");
            await stranger.DispatcherIdleAsync();
            Assert.Empty(subscriber.Received);
            using (var waiting = await stranger.Client.GetJsonAsync(deliveries))
            {
                Assert.All(waiting.RootElement.GetProperty("items").EnumerateArray(), d => Assert.Equal((0, "pending"), (d.GetProperty("attempts").GetInt32(), d.Str("state"))));
            }

            // The API is alive meanwhile, and the configured account (not stored) works.
            using var calls = await stranger.Client.GetJsonAsync("/api/v1/calls");
        }

        // With its key ring back, the same database is whole again and the waiting deliveries go out.
        await using var restored = await HubServer.StartAsync(dataDirectory: data);
        await restored.Client.SendHooksAsync($"/hooks/vault-sipuni/{SecretsAtRestTests.PathSecret}", SecretsAtRestTests.AnsweredCall("k-3"));
        await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Any(), "the deliveries that waited for the key ring");
    }

    [Fact]
    public async Task SecretsInClearFromAnEarlierVersion_EncryptedAtStartAndStillUsed_AndClearRowsStillReadMeanwhile()
    {
        var data = NewFolder();
        await using (await HubServer.StartAsync(dataDirectory: data))
        {
        }

        const string oldSecret = "whsec_" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
        await using (var db = await TestStorage.OpenAsync(data))
        {
            await PlantClearAccountAsync(db, "old-sipuni", "OldPathSecret-0001");
            await db.ExecuteAsync(
                """
                INSERT INTO subscriptions (id, url, event_types, accounts, enabled, secret, created_at)
                VALUES ('sub_old', @url, '[]', '["old-sipuni"]', 1, @oldSecret, 0)
                """,
                new { url = "http://127.0.0.1:1/unused", oldSecret });
        }

        await using var hub = await HubServer.StartAsync(dataDirectory: data);
        var columns = await StoredText.AllColumnsAsync(data);
        StoredText.AssertAbsent(columns, ["OldPathSecret-0001", "OldToken-0001", oldSecret], "the database after the upgrade");
        await hub.Client.SendHooksAsync("/hooks/old-sipuni/OldPathSecret-0001", SecretsAtRestTests.AnsweredCall("u-1"));
        var subscription = await hub.Services.GetRequiredService<PbxHub.Storage.ISubscriptionStore>().FindAsync("sub_old", default);
        Assert.Equal(oldSecret, subscription!.Secret);

        // A node of the earlier version, during a rolling upgrade, still writes in clear: read as it is.
        await using (var db = await TestStorage.OpenAsync(data))
        {
            await PlantClearAccountAsync(db, "older-node", "OlderNodeSecret-0002");
        }

        await Webhooks.WaitUntilAsync(
            () => hub.Client.SendHookAsync("/hooks/older-node/OlderNodeSecret-0002", SecretsAtRestTests.AnsweredCall("u-2")[0]).Result.StatusCode == HttpStatusCode.OK,
            "the clear account written by an older node is used", seconds: 15);
    }

    [Fact]
    public async Task KeyRingInTheDatabase_WithCertificate_KeysStoredEncryptedAndSharedByAnotherNode()
    {
        var pfx = Path.Combine(Directory.CreateDirectory(NewFolder()).FullName, "keyring.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=PbxHub key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddYears(5));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        }

        var settings = new Dictionary<string, string>
        {
            ["PbxHub:Security:KeyRing"] = "database",
            ["PbxHub:Security:KeyCertificate"] = pfx,
            ["PbxHub:Security:KeyCertificatePassword"] = "pfx-password",
        };
        var data = NewFolder();
        await using (var first = await HubServer.StartAsync(settings, dataDirectory: data))
        {
            await SecretsAtRestTests.CreateAccountsAsync(first);
        }

        Assert.False(Directory.Exists(Path.Combine(data, "keys")), "no key files when the key ring is in the database");
        await using (var db = await TestStorage.OpenAsync(data))
        {
            var keys = (await db.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
            Assert.NotEmpty(keys);
            Assert.All(keys, xml => Assert.Contains("EncryptedData", xml, StringComparison.Ordinal));
            Assert.All(keys, xml => Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal));
        }

        // Another node (another folder, so no file is shared) with the same database and certificate reads the secrets.
        settings["PbxHub:Security:KeysDirectory"] = NewFolder();
        await using var second = await HubServer.StartAsync(settings, dataDirectory: data);
        await second.Client.SendHooksAsync($"/hooks/vault-sipuni/{SecretsAtRestTests.PathSecret}", SecretsAtRestTests.AnsweredCall("d-1"));
    }

    [Fact]
    public async Task KeyRingInTheDatabase_WithoutCertificate_StartFailsSayingWhy()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Security:KeyRing"] = "database",
        }));

        Assert.Contains("PbxHub:Security:KeyRing=database needs PbxHub:Security:KeyCertificate", ex.Message, StringComparison.Ordinal);
    }

    private static Task PlantClearAccountAsync(System.Data.Common.DbConnection db, string id, string secret) => db.ExecuteAsync(
        """
        INSERT INTO accounts (id, provider, secret, time_zone, country, settings, created_at)
        VALUES (@id, 'sipuni', @secret, 'Europe/Moscow', 'RU', '{"Sipuni:UserNumber":"012345","Other:Token":"OldToken-0001"}', 0)
        """,
        new { id, secret });
}
