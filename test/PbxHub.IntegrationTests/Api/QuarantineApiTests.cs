using System.Globalization;
using System.Net;
using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Api;

/// <summary><c>GET /api/v1/quarantine</c> and the quarantine metric: what monitoring sees of requests the hub could not read.</summary>
public sealed class QuarantineApiTests
{
    private const string OtherAccount = "other";
    private const string OtherSecret = "other-secret-0123";

    private static readonly Dictionary<string, string> TwoAccounts = new()
    {
        ["PbxHub:Accounts:1:Id"] = OtherAccount, ["PbxHub:Accounts:1:Provider"] = "sipuni", ["PbxHub:Accounts:1:Secret"] = OtherSecret,
    };

    // Shaped like Sipuni's hooks (docs: event 1–4), each wrong in one field.
    private static readonly string[] DemoBadRequests =
    [
        "event=9&call_id=q-1&src_num=89031234567&src_type=1&dst_num=84951234567&dst_type=1&timestamp=1700000000",
        "event=1&src_num=89031234567&src_type=1&dst_num=84951234567&dst_type=1&timestamp=1700000001",
        "event=1&call_id=q-3&src_num=89031234567&src_type=1&dst_num=84951234567&dst_type=1&timestamp=yesterday",
    ];

    [Fact]
    public async Task Quarantine_BadRequestsOfTwoAccounts_ListedNewestFirstFilteredAndPaged()
    {
        await using var hub = await HubServer.StartAsync(TwoAccounts);
        foreach (var fields in DemoBadRequests)
        {
            using var response = await hub.Client.SendHookAsync(hub.HookPath, fields);
            await HttpJson.AssertQuarantinedAnswerAsync(response, fields);
        }

        await hub.Client.SendHooksAsync(hub.HookPath, [SipuniHooks.Arrival("good-1", "89031234567", "84951234567", 1_700_000_000)]);
        using (var response = await hub.Client.SendHookAsync($"/hooks/{OtherAccount}/{OtherSecret}", "event=7&call_id=o-1&timestamp=1700000000", post: true))
        {
            await HttpJson.AssertQuarantinedAnswerAsync(response, "other account");
        }

        using var all = await hub.Client.GetJsonAsync("/api/v1/quarantine");
        var items = all.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([OtherAccount, "demo", "demo", "demo"], items.Select(i => i.Str("account")));
        Assert.Equal([.. DemoBadRequests.Reverse()], items.Skip(1).Select(i => i.Str("query")));
        Assert.Equal("POST", items[0].Str("method"));
        Assert.Equal("event=7&call_id=o-1&timestamp=1700000000", items[0].Str("body"));
        Assert.All(items, i => Assert.Equal("sipuni", i.Str("provider")));
        Assert.All(items, i => Assert.False(string.IsNullOrWhiteSpace(i.Str("reason"))));
        Assert.Equal(JsonValueKind.Null, all.RootElement.GetProperty("nextCursor").ValueKind);

        using var other = await hub.Client.GetJsonAsync($"/api/v1/quarantine?account={OtherAccount}");
        Assert.Equal(OtherAccount, Assert.Single(other.RootElement.GetProperty("items").EnumerateArray()).Str("account"));
        using var byReason = await hub.Client.GetJsonAsync("/api/v1/quarantine?reason=TIMESTAMP%20'YESTERDAY'");
        Assert.Equal(DemoBadRequests[2], Assert.Single(byReason.RootElement.GetProperty("items").EnumerateArray()).Str("query"));
        using var percent = await hub.Client.GetJsonAsync("/api/v1/quarantine?reason=%25");
        Assert.Empty(percent.RootElement.GetProperty("items").EnumerateArray());

        var received = items.Select(i => DateTimeOffset.Parse(i.Str("receivedAt")!, CultureInfo.InvariantCulture)).ToList();
        var since = Uri.EscapeDataString(received.Max().AddMinutes(1).ToString("O", CultureInfo.InvariantCulture));
        using var future = await hub.Client.GetJsonAsync($"/api/v1/quarantine?since={since}");
        Assert.Empty(future.RootElement.GetProperty("items").EnumerateArray());
        var until = Uri.EscapeDataString(received.Min().ToString("O", CultureInfo.InvariantCulture));
        using var before = await hub.Client.GetJsonAsync($"/api/v1/quarantine?until={until}");
        Assert.Empty(before.RootElement.GetProperty("items").EnumerateArray());

        var paged = new List<long>();
        string? cursor = null;
        do
        {
            using var page = await hub.Client.GetJsonAsync("/api/v1/quarantine?limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            paged.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("seq").GetInt64()));
            cursor = page.RootElement.Str("nextCursor");
        }
        while (cursor is not null);
        Assert.Equal(items.Select(i => i.GetProperty("seq").GetInt64()), paged);
    }

    [Fact]
    public async Task Quarantine_ProviderFilter_OnlyThatProvidersRequests()
    {
        await using var hub = await HubServer.StartAsync(ThreeProviders.Settings());
        using (var sipuni = await hub.Client.SendHookAsync(hub.HookPath, DemoBadRequests[0]))
        {
            await HttpJson.AssertQuarantinedAnswerAsync(sipuni, "Sipuni");
        }

        using (var hookType = await hub.Client.PostAsync(
            $"/hooks/ht/{ThreeProviders.HookTypeSecret}", new StringContent("not json", System.Text.Encoding.UTF8, "application/json")))
        {
            await HttpJson.AssertQuarantinedAnswerAsync(hookType, "HookType");
        }

        using var only = await hub.Client.GetJsonAsync("/api/v1/quarantine?provider=hooktype");
        var item = Assert.Single(only.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("ht", item.Str("account"));
        Assert.Equal("hooktype", item.Str("provider"));
        Assert.Equal("not json", item.Str("body"));
        using var sipuniOnly = await hub.Client.GetJsonAsync("/api/v1/quarantine?provider=sipuni&account=demo");
        Assert.Equal(DemoBadRequests[0], Assert.Single(sipuniOnly.RootElement.GetProperty("items").EnumerateArray()).Str("query"));
    }

    [Theory]
    [InlineData("provider=asterisk", "provider")]
    [InlineData("since=yesterday", "since")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=not-ours", "cursor")]
    public async Task Quarantine_BadQuery_400NamingTheParameter(string query, string parameter)
    {
        await using var hub = await HubServer.StartAsync();
        using var response = await hub.Client.GetAsync("/api/v1/quarantine?" + query);
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), problem.RootElement.ToString());
    }

    [Fact]
    public async Task Quarantine_WithoutApiKey_401()
    {
        await using var hub = await HubServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        using var response = await anonymous.GetAsync("/api/v1/quarantine");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_Quarantine_DocumentsPageAndValidationProblem()
    {
        await using var hub = await HubServer.StartAsync();
        using var doc = await hub.Client.GetJsonAsync("/openapi/v1.json");
        var get = doc.RootElement.GetProperty("paths").GetProperty("/api/v1/quarantine").GetProperty("get");
        var responses = get.GetProperty("responses");
        Assert.Contains("QuarantinePage", responses.GetProperty("200").ToString(), StringComparison.Ordinal);
        Assert.True(responses.TryGetProperty("400", out _), responses.ToString());
        var item = doc.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("QuarantinedRequest").GetProperty("properties");
        Assert.All(["seq", "account", "provider", "receivedAt", "reason", "method", "query", "body"], p => Assert.True(item.TryGetProperty(p, out _), p));
    }

    [Fact]
    public async Task Metrics_QuarantinedRequests_CountedByAccountAndReasonKindOncePerRequest()
    {
        // Hubs of other tests share the process's meters: an account of its own keeps this count apart.
        const string account = "quarantine-metrics";
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = account, ["PbxHub:Accounts:1:Provider"] = "sipuni", ["PbxHub:Accounts:1:Secret"] = OtherSecret,
        });
        var path = $"/hooks/{account}/{OtherSecret}";
        foreach (var fields in (string[])["event=9&call_id=m-1&timestamp=1700000000", "event=0&call_id=m-2&timestamp=1700000000", "event=9&call_id=m-1&timestamp=1700000000", "event=1&timestamp=1700000000"])
        {
            using var response = await hub.Client.SendHookAsync(path, fields);
            await HttpJson.AssertQuarantinedAnswerAsync(response, fields);
        }

        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var text = await anonymous.GetStringAsync("/metrics");
        Assert.Equal(2, Counted(text, account, "unknown event '…' (expected N, N, N or N)"));
        Assert.Equal(1, Counted(text, account, "call_id is missing"));
    }

    private static double Counted(string metrics, string account, string reason) =>
        metrics.Split('\n')
            .Where(l => l.StartsWith("pbxhub_ingest_quarantined_total{", StringComparison.Ordinal)
                && l.Contains($"account=\"{account}\"", StringComparison.Ordinal) && l.Contains($"reason=\"{reason}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
}
