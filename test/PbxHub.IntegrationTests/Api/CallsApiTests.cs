using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Api;

/// <summary>A hub with a small journal: four demo calls of different kinds and one call of a second account.</summary>
public sealed class CallsJournalFixture : IAsyncLifetime
{
    public const long T = 1_700_000_000; // 2023-11-14T22:13:20Z
    public const string OtherAccount = "other";
    public const string OtherSecret = "other-account-secret";

    internal HubServer Hub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = OtherAccount,
            ["PbxHub:Accounts:1:Provider"] = "sipuni",
            ["PbxHub:Accounts:1:Secret"] = OtherSecret,
        });
        await Hub.Client.SendHooksAsync(Hub.HookPath, SipuniHooks.AnsweredInbound("c-ans", "89031234567", "84951234567", "101", T, wait: 7, talk: 60));
        await Hub.Client.SendHooksAsync(Hub.HookPath, SipuniHooks.MissedInbound("c-miss", "89161112233", "84951234567", "102", T + 100));
        await Hub.Client.SendHooksAsync(Hub.HookPath,
        [
            SipuniHooks.OutboundStart("c-out", "103", "89262223344", T + 200),
            SipuniHooks.OutboundHangUp("c-out", "103", "89262223344", "ANSWER", T + 200, T + 210, T + 260),
        ]);
        await Hub.Client.SendHooksAsync(Hub.HookPath,
        [
            SipuniHooks.Arrival("c-ring", "89990001122", "84951234567", T + 300),
            SipuniHooks.Ring("c-ring", "89990001122", "101", T + 300),
        ]);
        await Hub.Client.SendHooksAsync($"/hooks/{OtherAccount}/{OtherSecret}", SipuniHooks.MissedInbound("o-1", "89031234567", "84997654321", "101", T + 50));
    }

    public async Task DisposeAsync() => await Hub.DisposeAsync();
}

public sealed class CallsApiTests(CallsJournalFixture fixture) : IClassFixture<CallsJournalFixture>
{
    private const long T = CallsJournalFixture.T;
    private HttpClient Client => fixture.Hub.Client;

    private static string Id(string providerCallId, string account = HubServer.AccountId) => StableIds.CallId(account, providerCallId);

    private async Task<List<string>> ProviderIdsAsync(string query)
    {
        using var doc = await Client.GetJsonAsync("/api/v1/calls" + query);
        return doc.RootElement.GetProperty("items").EnumerateArray().Select(c => c.Str("providerCallId")!).ToList();
    }

    [Fact]
    public async Task ListCalls_NoApiKey_Answers401ProblemDetails()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.Hub.BaseUrl) };
        foreach (var path in new[] { "/api/v1/calls", $"/api/v1/calls/{Id("c-ans")}", "/api/v1/accounts" })
        {
            using var response = await anonymous.GetAsync(path);
            using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Bearer", "not-a-key")]
    [InlineData("Bearer", "test-api-key-012345678")]
    [InlineData("Basic", "dGVzdDp0ZXN0")]
    public async Task ListCalls_WrongApiKey_Answers401ProblemDetails(string scheme, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/calls");
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, key);
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.Hub.BaseUrl) };
        using var response = await anonymous.SendAsync(request);
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("c-ans", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListCalls_NoFilter_ServesEveryCallNewestFirst()
    {
        Assert.Equal(["c-ring", "c-out", "c-miss", "o-1", "c-ans"], await ProviderIdsAsync(""));
    }

    [Fact]
    public async Task ListCalls_AccountFilter_ServesOnlyThatAccountsCalls()
    {
        Assert.Equal(["c-ring", "c-out", "c-miss", "c-ans"], await ProviderIdsAsync("?account=demo"));
        Assert.Equal(["o-1"], await ProviderIdsAsync("?account=other"));
        Assert.Empty(await ProviderIdsAsync("?account=nobody"));
    }

    [Fact]
    public async Task ListCalls_SinceAndUntil_ServeCallsStartedInTheHalfOpenRange()
    {
        // T+100 = 2023-11-14T22:15:00Z, T+200 = 22:16:40Z, T+300 = 22:18:20Z.
        Assert.Equal(["c-out", "c-miss"], await ProviderIdsAsync("?account=demo&since=2023-11-14T22:15:00Z&until=2023-11-14T22:18:20Z"));
        Assert.Equal(["c-ring", "c-out"], await ProviderIdsAsync("?account=demo&since=2023-11-14T22:15:01Z"));
        Assert.Equal(["c-ans"], await ProviderIdsAsync("?account=demo&until=2023-11-14T22:15:00Z"));
        // The same instant written with an offset.
        Assert.Equal(["c-out", "c-miss"], await ProviderIdsAsync("?account=demo&since=2023-11-15T01:15:00%2B03:00&until=2023-11-15T01:18:20%2B03:00"));
    }

    [Theory]
    [InlineData("89031234567")]
    [InlineData("+79031234567")]
    [InlineData("79031234567")]
    [InlineData("9031234567")]
    [InlineData("8 (903) 123-45-67")]
    public async Task ListCalls_NumberInAnyShape_FindsTheSameCall(string number)
    {
        var encoded = Uri.EscapeDataString(number);
        Assert.Equal(["c-ans"], await ProviderIdsAsync($"?account=demo&number={encoded}"));
        Assert.Equal(["o-1", "c-ans"], await ProviderIdsAsync($"?number={encoded}"));
    }

    [Fact]
    public async Task ListCalls_NumberOfLineOrExtension_FindsTheCallsOnIt()
    {
        Assert.Equal(["c-ring", "c-miss", "c-ans"], await ProviderIdsAsync("?account=demo&number=%2B74951234567"));
        Assert.Equal(["c-out"], await ProviderIdsAsync("?account=demo&number=89262223344"));
        Assert.Empty(await ProviderIdsAsync("?account=demo&number=89000000000"));
    }

    [Fact]
    public async Task ListCalls_DirectionFilter_ServesOnlyThatDirection()
    {
        Assert.Equal(["c-out"], await ProviderIdsAsync("?account=demo&direction=outbound"));
        Assert.Equal(["c-ring", "c-miss", "c-ans"], await ProviderIdsAsync("?account=demo&direction=inbound"));
        Assert.Empty(await ProviderIdsAsync("?account=demo&direction=internal"));
    }

    [Fact]
    public async Task ListCalls_OutcomeFilter_ServesOnlyThatOutcome()
    {
        Assert.Equal(["c-out", "c-ans"], await ProviderIdsAsync("?account=demo&outcome=answered"));
        Assert.Equal(["c-miss"], await ProviderIdsAsync("?account=demo&outcome=missed"));
        Assert.Equal(["c-miss", "o-1"], await ProviderIdsAsync("?outcome=missed"));
    }

    [Fact]
    public async Task ListCalls_StateFilter_ServesOnlyThatState()
    {
        Assert.Equal(["c-ring"], await ProviderIdsAsync("?account=demo&state=ringing"));
        Assert.Equal(["c-out", "c-miss", "c-ans"], await ProviderIdsAsync("?account=demo&state=ended"));
    }

    [Fact]
    public async Task ListCalls_AnsweredByFilter_ServesCallsThatPartyAnswered()
    {
        Assert.Equal(["c-ans"], await ProviderIdsAsync("?account=demo&answeredBy=101"));
        Assert.Equal(["c-ans"], await ProviderIdsAsync("?account=demo&answeredBy=012345101"));
        // 102 only rang in a missed call; 101 rang in c-ring but has not answered it.
        Assert.Empty(await ProviderIdsAsync("?account=demo&answeredBy=102"));
    }

    [Fact]
    public async Task ListCalls_FiltersCombined_ServeTheIntersection()
    {
        Assert.Equal(["c-ans"], await ProviderIdsAsync("?account=demo&direction=inbound&outcome=answered&state=ended&number=9031234567"));
        Assert.Empty(await ProviderIdsAsync("?account=demo&direction=outbound&number=9031234567"));
    }

    [Theory]
    [InlineData("direction", "sideways")]
    [InlineData("outcome", "great")]
    [InlineData("state", "dead")]
    [InlineData("since", "yesterday")]
    [InlineData("until", "2023-13-45")]
    [InlineData("limit", "0")]
    [InlineData("limit", "1001")]
    [InlineData("limit", "ten")]
    [InlineData("cursor", "not-a-cursor!")]
    public async Task ListCalls_InvalidFilterValue_Answers400ValidationProblemNamingTheParameter(string parameter, string value)
    {
        using var response = await Client.GetAsync($"/api/v1/calls?{parameter}={Uri.EscapeDataString(value)}");
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(parameter, out var messages), $"errors do not name '{parameter}': {errors}");
        Assert.Contains(messages.EnumerateArray(), m => !string.IsNullOrWhiteSpace(m.GetString()));
    }

    [Fact]
    public async Task ListCalls_SeveralInvalidValues_NamesEachParameter()
    {
        using var response = await Client.GetAsync("/api/v1/calls?direction=up&state=gone&limit=-1");
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var names = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["direction", "limit", "state"], names);
    }

    [Fact]
    public async Task GetCall_KnownId_ServesTheRecord()
    {
        using var doc = await Client.GetJsonAsync($"/api/v1/calls/{Id("c-ans")}");
        var call = doc.RootElement;
        Assert.Equal(Id("c-ans"), call.Str("id"));
        Assert.Equal("answered", call.Str("outcome"));
        Assert.Equal("+79031234567", call.GetProperty("from").Str("number"));
        Assert.Equal("+74951234567", call.GetProperty("line").Str("number"));
        Assert.Equal("101", call.GetProperty("answeredBy").Str("extension"));
        Assert.Equal(7, call.GetProperty("waitSeconds").GetInt32());
        Assert.Equal(60, call.GetProperty("talkSeconds").GetInt32());
    }

    [Theory]
    [InlineData("call_000000000000000000000000")]
    [InlineData("nonsense")]
    public async Task GetCall_UnknownId_Answers404Problem(string id)
    {
        using var call = await Client.GetAsync($"/api/v1/calls/{id}");
        using var p1 = await HttpJson.AssertProblemAsync(call, HttpStatusCode.NotFound);
        using var timeline = await Client.GetAsync($"/api/v1/calls/{id}/timeline");
        using var p2 = await HttpJson.AssertProblemAsync(timeline, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetCall_OtherAccountsProviderCallIdUnderDemo_Answers404()
    {
        // o-1 exists for "other" only: the id is per account.
        using var response = await Client.GetAsync($"/api/v1/calls/{Id("o-1")}");
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.NotFound);
        using var found = await Client.GetJsonAsync($"/api/v1/calls/{Id("o-1", CallsJournalFixture.OtherAccount)}");
        Assert.Equal("other", found.RootElement.Str("account"));
    }

    [Fact]
    public async Task Healthz_Anonymous_AnswersOk()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.Hub.BaseUrl) };
        using var health = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var readyJson = await ready.ReadJsonAsync();
        Assert.Equal("ready", readyJson.RootElement.Str("status"));
    }

    [Fact]
    public async Task OpenApi_Document_ListsTheCallsEndpoints()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.Hub.BaseUrl) };
        using var doc = await anonymous.GetJsonAsync("/openapi/v1.json");
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/calls", paths);
        Assert.Contains("/api/v1/calls/{id}", paths);
        Assert.Contains("/api/v1/calls/{id}/timeline", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/hooks", StringComparison.Ordinal));
    }
}

/// <summary>Keyset pagination over a journal of its own.</summary>
public sealed class CallsPaginationTests
{
    [Fact]
    public async Task ListCalls_WalkingPagesWithNextCursor_ServesEveryCallOnceNewestFirst()
    {
        await using var hub = await HubServer.StartAsync();
        const long t = 1_700_000_000;
        var expected = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            // Calls 4, 5 and 6 start at the same second: the page boundary must not split them wrongly.
            var start = i is >= 4 and <= 6 ? t + 400 : t + (i * 100);
            var id = $"page-{i:D2}";
            expected.Add(id);
            await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound(id, $"8903123{i:D4}", "84951234567", "101", start));
        }

        foreach (var limit in new[] { 1, 2, 3, 11, 50 })
        {
            var seen = new List<(string Id, string StartedAt)>();
            string? cursor = null;
            for (var page = 0; page < 30; page++)
            {
                var url = $"/api/v1/calls?account=demo&limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
                using var doc = await hub.Client.GetJsonAsync(url);
                var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
                Assert.True(items.Count <= limit, $"page of {items.Count} with limit {limit}");
                seen.AddRange(items.Select(c => (c.Str("providerCallId")!, c.Str("startedAt")!)));
                cursor = doc.RootElement.Str("nextCursor");
                if (cursor is null)
                {
                    break;
                }

                Assert.NotEmpty(items);
            }

            Assert.Null(cursor);
            var ids = seen.Select(s => s.Id).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
            var starts = seen.Select(s => DateTimeOffset.Parse(s.StartedAt, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(starts.OrderDescending(), starts);
        }
    }

    [Fact]
    public async Task ListCalls_CursorWithFilters_KeepsFiltering()
    {
        await using var hub = await HubServer.StartAsync();
        const long t = 1_700_000_000;
        for (var i = 0; i < 6; i++)
        {
            var id = $"f-{i}";
            var calls = i % 2 == 0
                ? SipuniHooks.AnsweredInbound(id, "89031234567", "84951234567", "101", t + (i * 60))
                : SipuniHooks.MissedInbound(id, "89031234567", "84951234567", "102", t + (i * 60));
            await hub.Client.SendHooksAsync(hub.HookPath, calls);
        }

        var ids = new List<string>();
        string? cursor = null;
        do
        {
            using var doc = await hub.Client.GetJsonAsync("/api/v1/calls?outcome=missed&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            ids.AddRange(doc.RootElement.GetProperty("items").EnumerateArray().Select(c => c.Str("providerCallId")!));
            cursor = doc.RootElement.Str("nextCursor");
        }
        while (cursor is not null && ids.Count < 20);

        Assert.Equal(["f-5", "f-3", "f-1"], ids);
    }
}
