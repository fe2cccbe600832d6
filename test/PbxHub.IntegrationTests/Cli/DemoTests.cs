using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Cli;

/// <summary><c>pbxhub demo</c> as a user starts it: the printed URL and key, and calls of every provider in the API.</summary>
public sealed partial class DemoTests
{
    [GeneratedRegex(@"Sign in with the API key (?<key>pbx_[A-Za-z0-9_-]+)")]
    private static partial Regex PrintedKey();

    [Fact]
    public async Task Demo_Started_PrintsDashboardAndKeyAndCallsOfEveryProviderAppearWithinSeconds()
    {
        var baseUrl = $"http://127.0.0.1:{HubProcess.FreePort()}";
        var data = HubProcess.NewDataDirectory();
        await using var demo = await HubProcess.StartVerbAsync(
            ["demo", "--data", data, "--urls", baseUrl, "--calls", "3", "--every", "00:00:01"], baseUrl, new Dictionary<string, string>());
        var output = await FirstRunTests.WaitForAsync(demo, "Sign in with the API key");
        Assert.Contains($"PbxHub demo is running. Dashboard: {baseUrl}/", output, StringComparison.Ordinal);
        var key = PrintedKey().Match(output).Groups["key"].Value;

        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        string[] expected = ["demo-evrotel", "demo-hooktype", "demo-sipuni"];
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        while (seen.Count < expected.Length && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var calls = await client.GetJsonAsync("/api/v1/calls?limit=1000");
            seen.UnionWith(calls.RootElement.GetProperty("items").EnumerateArray().Select(c => c.Str("account")!));
            await Task.Delay(250);
        }

        Assert.Equal(expected, seen);
        using var accounts = await client.GetJsonAsync("/api/v1/accounts");
        Assert.Equal(expected, accounts.RootElement.EnumerateArray().Select(a => a.Str("id")!).Order(StringComparer.Ordinal));
    }
}
