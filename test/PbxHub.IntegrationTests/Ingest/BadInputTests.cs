using System.Net;
using System.Text;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Ingest;

/// <summary>What the hook answers to requests it cannot take, and what it keeps of them.</summary>
public sealed class BadInputTests
{
    private const string From = "89031234567";
    private const string Line = "84951234567";

    public static TheoryData<string, string, string> Unparseable => new()
    {
        { "missing call_id", "event=1&src_num=89031234567&src_type=1&dst_num=84951234567&dst_type=1&timestamp=1700000000", "call_id" },
        { "unknown event", "event=9&call_id=bad-event-1&src_num=89031234567&src_type=1&dst_num=84951234567&dst_type=1&timestamp=1700000000", "event" },
        { "non-numeric timestamp", "event=1&call_id=bad-ts-1&src_num=89031234567&src_type=1&dst_num=84951234567&dst_type=1&timestamp=yesterday", "timestamp" },
    };

    [Theory]
    [MemberData(nameof(Unparseable))]
    public async Task Hook_ParseableButBadRequest_AnsweredSuccessAndKeptInQuarantine(string scenario, string fields, string reasonMentions)
    {
        await using var hub = await HubServer.StartAsync();
        foreach (var post in new[] { false, true })
        {
            using var response = await hub.Client.SendHookAsync(hub.HookPath, fields, post);
            Assert.Contains(reasonMentions, await HttpJson.AssertQuarantinedAnswerAsync(response, $"{scenario} ({(post ? "POST" : "GET")})"), StringComparison.Ordinal);
        }

        var rows = await HubDatabase.RawEventsAsync(hub.DataDirectory);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("quarantined", r.Kind));
        Assert.All(rows, r => Assert.Equal(HubServer.AccountId, r.Account));
        Assert.All(rows, r => Assert.Contains(reasonMentions, r.Reason ?? "", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Query == fields);
        Assert.Contains(rows, r => r.Body == fields);

        using var list = await hub.Client.GetJsonAsync("/api/v1/calls");
        Assert.Equal(0, list.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Hook_SameBadRequestTwice_QuarantinedOnceAndAnsweredTheSame()
    {
        await using var hub = await HubServer.StartAsync();
        const string fields = "event=7&call_id=bad-twice&src_num=89031234567&src_type=1&dst_num=84951234567&dst_type=1&timestamp=1700000000";
        using var first = await hub.Client.SendHookAsync(hub.HookPath, fields);
        using var second = await hub.Client.SendHookAsync(hub.HookPath, fields);
        await HttpJson.AssertQuarantinedAnswerAsync(first, "first");
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        var row = Assert.Single(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        Assert.Equal("quarantined", row.Kind);
    }

    [Fact]
    public async Task Hook_EmptyPost_AnsweredSuccessAndIsQuarantined()
    {
        await using var hub = await HubServer.StartAsync();
        using var response = await hub.Client.PostAsync(hub.HookPath, new ByteArrayContent([]));
        await HttpJson.AssertQuarantinedAnswerAsync(response, "empty POST");

        var row = Assert.Single(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        Assert.Equal("quarantined", row.Kind);
        Assert.False(string.IsNullOrWhiteSpace(row.Reason));
    }

    [Fact]
    public async Task Hook_EmptyGet_AnsweredSuccessAndIsQuarantined()
    {
        await using var hub = await HubServer.StartAsync();
        using var response = await hub.Client.GetAsync(hub.HookPath);
        await HttpJson.AssertQuarantinedAnswerAsync(response, "GET without parameters");
        Assert.Equal("quarantined", Assert.Single(await HubDatabase.RawEventsAsync(hub.DataDirectory)).Kind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Hook_BodyOverLimit_Answers413FailureAndStoresNothing(bool withContentLength)
    {
        await using var hub = await HubServer.StartAsync();
        var fields = SipuniHooks.Arrival("big-1", From, Line, 1_700_000_000) + "&padding=" + new string('x', 65_536);
        HttpContent content = withContentLength
            ? new StringContent(fields, Encoding.UTF8, "application/x-www-form-urlencoded")
            : new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(fields)));
        if (!withContentLength)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, hub.HookPath) { Content = content };
        if (!withContentLength)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await hub.Client.SendAsync(request);
        await AssertSipuniFailureAsync(response, HttpStatusCode.RequestEntityTooLarge, "oversized body");
        Assert.Empty(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "big-1")}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Hook_BodyJustUnderConfiguredLimit_IsAccepted()
    {
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string> { ["PbxHub:Ingest:MaxBodyBytes"] = "4096" });
        var fields = SipuniHooks.Arrival("limit-1", From, Line, 1_700_000_000);
        var small = fields + "&padding=" + new string('x', 4096 - fields.Length - "&padding=".Length);
        Assert.Equal(4096, Encoding.UTF8.GetByteCount(small));
        using (var ok = await hub.Client.SendHookAsync(hub.HookPath, small, post: true))
        {
            await HttpJson.AssertSipuniSuccessAsync(ok, "body of exactly the limit");
        }

        using var tooBig = await hub.Client.SendHookAsync(hub.HookPath, small + "x", post: true);
        await AssertSipuniFailureAsync(tooBig, HttpStatusCode.RequestEntityTooLarge, "body one byte over the limit");
    }

    [Fact]
    public async Task Hook_WrongSecret_Answers403AndStoresNothing()
    {
        await using var hub = await HubServer.StartAsync();
        var fields = SipuniHooks.Arrival("wrong-secret-1", From, Line, 1_700_000_000);
        foreach (var post in new[] { false, true })
        {
            using var response = await hub.Client.SendHookAsync($"/hooks/{HubServer.AccountId}/not-the-secret", fields, post);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            using var json = await response.ReadJsonAsync();
            Assert.False(json.RootElement.GetProperty("success").GetBoolean());
        }

        using (var noSecret = await hub.Client.GetAsync($"/hooks/{HubServer.AccountId}?{fields}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noSecret.StatusCode);
        }

        Assert.Empty(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "wrong-secret-1")}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Hook_UnknownAccount_Answers404ProblemAndStoresNothing()
    {
        await using var hub = await HubServer.StartAsync();
        var fields = SipuniHooks.Arrival("no-account-1", From, Line, 1_700_000_000);
        foreach (var post in new[] { false, true })
        {
            using var response = await hub.Client.SendHookAsync($"/hooks/nobody/{HubServer.Secret}", fields, post);
            using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.NotFound);
        }

        Assert.Empty(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId("nobody", "no-account-1")}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Hook_SameRequestTwice_StoredOnceAndAnsweredTheSame()
    {
        await using var hub = await HubServer.StartAsync();
        var fields = SipuniHooks.Arrival("twice-1", From, Line, 1_700_000_000);
        using var first = await hub.Client.SendHookAsync(hub.HookPath, fields);
        using var second = await hub.Client.SendHookAsync(hub.HookPath, fields);
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        await HttpJson.AssertSipuniSuccessAsync(first, "first");

        using var timeline = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "twice-1")}/timeline");
        Assert.Equal(1, timeline.RootElement.GetProperty("raw").GetArrayLength());
        Assert.Single(await HubDatabase.RawEventsAsync(hub.DataDirectory));
    }

    [Fact]
    public async Task Hook_SameRequestConcurrently_StoredOnce()
    {
        await using var hub = await HubServer.StartAsync();
        var fields = SipuniHooks.Arrival("burst-1", From, Line, 1_700_000_000);
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => hub.Client.SendHookAsync(hub.HookPath, fields, post: i % 2 == 0)));
        foreach (var response in responses)
        {
            await HttpJson.AssertSipuniSuccessAsync(response, "concurrent repeat");
            response.Dispose();
        }

        Assert.Single(await HubDatabase.RawEventsAsync(hub.DataDirectory));
    }

    [Fact]
    public async Task Hook_GetQueryAndPostFormWithSameParameters_AreOneEvent()
    {
        await using var hub = await HubServer.StartAsync();
        var fields = SipuniHooks.Arrival("get-post-1", From, Line, 1_700_000_000);
        // The same parameters in another order are still the same request.
        var reordered = string.Join("&", fields.Split('&').Reverse());
        using var get = await hub.Client.SendHookAsync(hub.HookPath, fields);
        using var post = await hub.Client.SendHookAsync(hub.HookPath, reordered, post: true);
        await HttpJson.AssertSipuniSuccessAsync(get, "GET");
        await HttpJson.AssertSipuniSuccessAsync(post, "POST");

        var callUrl = $"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "get-post-1")}";
        using var timeline = await hub.Client.GetJsonAsync(callUrl + "/timeline");
        var raw = Assert.Single(timeline.RootElement.GetProperty("raw").EnumerateArray());
        Assert.Equal("GET", raw.Str("method"));
        Assert.Equal(1, timeline.RootElement.GetProperty("events").EnumerateArray().Count(e => e.Str("type") == "call.started"));
    }

    [Fact]
    public async Task Hook_PostFormAlone_BuildsTheSameCallAsGetQuery()
    {
        await using var viaGet = await HubServer.StartAsync();
        await using var viaPost = await HubServer.StartAsync();
        var requests = SipuniHooks.AnsweredInbound("form-1", From, Line, "101", 1_700_000_000);
        await viaGet.Client.SendHooksAsync(viaGet.HookPath, requests);
        foreach (var fields in requests)
        {
            using var response = await viaPost.Client.SendHookAsync(viaPost.HookPath, fields, post: true);
            await HttpJson.AssertSipuniSuccessAsync(response, fields);
        }

        var url = $"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, "form-1")}";
        using var a = await viaGet.Client.GetJsonAsync(url);
        using var b = await viaPost.Client.GetJsonAsync(url);
        Assert.Equal(WithoutUpdatedAt(a.RootElement), WithoutUpdatedAt(b.RootElement));
        Assert.Equal("answered", b.RootElement.Str("outcome"));
    }

    private static string WithoutUpdatedAt(JsonElement call) =>
        JsonSerializer.Serialize(call.EnumerateObject().Where(p => p.Name != "updatedAt").ToDictionary(p => p.Name, p => p.Value));

    private static async Task AssertSipuniFailureAsync(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{what}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        Assert.False(json.RootElement.GetProperty("success").GetBoolean(), $"{what}: {text}");
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.Str("error")), $"{what}: no error text in {text}");
    }
}
