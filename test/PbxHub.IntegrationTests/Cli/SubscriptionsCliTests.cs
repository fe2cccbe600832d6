using System.Text.RegularExpressions;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Cli;

public sealed partial class SubscriptionsCliTests
{
    [GeneratedRegex(@"Subscription (?<id>sub_[0-9a-f]+) added\.\s+Signing secret \(shown once\): (?<secret>whsec_\S+)")]
    private static partial Regex Added();

    private static Task<CliResult> PbxHubAsync(params string[] args) => HubProcess.RunAsync(args, TimeSpan.FromSeconds(45));

    [Fact]
    public async Task SubscriptionsAdd_PrintedSecret_SignsWhatAServedHubDelivers()
    {
        var data = HubProcess.NewDataDirectory();
        await using var subscriber = await Subscriber.StartAsync();
        var add = await PbxHubAsync("subscriptions", "add", subscriber.Url, "--event", "call.started", "--data", data);
        Assert.True(add.ExitCode == 0, add.ToString());
        var match = Added().Match(add.Stdout);
        Assert.True(match.Success, add.ToString());

        var list = await PbxHubAsync("subscriptions", "list", "--data", data);
        Assert.Contains(match.Groups["id"].Value, list.Stdout, StringComparison.Ordinal);
        Assert.Contains("call.started", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(match.Groups["secret"].Value, list.Stdout, StringComparison.Ordinal);

        await using (var hub = await HubServer.StartAsync(dataDirectory: data))
        {
            await hub.Client.SendHooksAsync(hub.HookPath, [SipuniHooks.Arrival("cli-sub", "89161234567", "74951234567", 1_700_000_000)]);
            await Webhooks.WaitUntilAsync(() => subscriber.Received.Count == 1, "the call.started webhook");
        }

        Assert.True(StandardWebhooksVerifier.Verify(match.Groups["secret"].Value, subscriber.Received.Single()));

        var rotate = await PbxHubAsync("subscriptions", "rotate-secret", match.Groups["id"].Value, "--grace", "00:00:00", "--data", data);
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        Assert.Contains("The old secret no longer signs.", rotate.Stdout, StringComparison.Ordinal);

        var remove = await PbxHubAsync("subscriptions", "remove", match.Groups["id"].Value, "--data", data);
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Equal(1, (await PbxHubAsync("subscriptions", "remove", match.Groups["id"].Value, "--data", data)).ExitCode);
    }

    [Fact]
    public async Task SubscriptionsAdd_UnknownEventType_ExitsNonZeroNamingIt()
    {
        var data = HubProcess.NewDataDirectory();
        var add = await PbxHubAsync("subscriptions", "add", "https://crm.example/h", "--event", "call.exploded", "--data", data);
        Assert.Equal(1, add.ExitCode);
        Assert.Contains("call.exploded", add.Stderr, StringComparison.Ordinal);
    }
}
