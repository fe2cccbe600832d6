using System.Net;
using System.Text;
using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Providers.HookType.HookTypeHub;

namespace PbxHub.IntegrationTests.Providers.HookType;

/// <summary>HookType's whole calls, repeats, bad input and wrong secrets through a real hub.</summary>
public sealed class HookTypeIngestTests
{
    private const string City = "4950665310";
    private const string Client = "9582412128";

    /// <summary>Two employees rung at once; the second answers (talk 60 s); Moscow wall clock.</summary>
    private static string[] ParallelCall(string s) =>
    [
        Hook(s, "CreateIncCall", ("StartTime", "2021-01-28 10:00:00"), ("CityNumber", City), ("Caller", Client), ("Called", City), ("Redirecting", "8" + City)),
        Hook(s, "AttemptIncCallBegin", ("StartTime", "2021-01-28 10:00:02"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002651")),
        Hook(s, "AttemptIncCallBegin", ("StartTime", "2021-01-28 10:00:02"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002642")),
        Hook(s, "ChangeIncCall", ("StartDuration", "2021-01-28 10:00:09"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002642")),
        Hook(s, "AttemptIncCallEnd", ("StartTime", "2021-01-28 10:00:02"), ("EndTime", "2021-01-28 10:00:09"), ("CityNumber", City), ("Caller", Client), ("Called", "80052002651")),
        Hook(s, "EndIncCall", ("StartTime", "2021-01-28 10:00:00"), ("EndTime", "2021-01-28 10:01:09"), ("CityNumber", City), ("Caller", Client), ("Called", "0052002642"), ("Duration", 60), ("ResultCode", "200")),
    ];

    [Fact]
    public async Task ParallelCall_InOrderAndShuffledWithRepeatsAndOtherContentTypes_ServesTheSameAnsweredCall()
    {
        await using var ordered = await StartAsync();
        foreach (var hook in ParallelCall("par-1"))
        {
            await ordered.PostAcceptedAsync(hook);
        }

        await using var shuffled = await StartAsync();
        var hooks = ParallelCall("par-1");
        string?[] contentTypes = [null, "text/plain", "application/x-www-form-urlencoded", "application/json"];
        var sent = hooks.Reverse().Concat(hooks.Where((_, i) => i % 2 == 0)).ToList();
        for (var i = 0; i < sent.Count; i++)
        {
            await shuffled.PostAcceptedAsync(sent[i], contentTypes[i % contentTypes.Length]);
        }

        using var a = await ordered.Client.GetJsonAsync(CallUrl("par-1"));
        using var b = await shuffled.Client.GetJsonAsync(CallUrl("par-1"));
        Assert.Equal(Comparable(a.RootElement), Comparable(b.RootElement));

        var call = b.RootElement;
        Assert.Equal(("inbound", "ended", "answered", "200"), (call.Str("direction"), call.Str("state"), call.Str("outcome"), call.Str("providerResult")));
        Assert.Equal(("2021-01-28T07:00:00Z", "2021-01-28T07:00:09Z", "2021-01-28T07:01:09Z"), (call.Str("startedAt"), call.Str("answeredAt"), call.Str("endedAt")));
        Assert.Equal((9, 60), (call.GetProperty("waitSeconds").GetInt32(), call.GetProperty("talkSeconds").GetInt32()));
        Assert.Equal(("80052002642", "0052002642"), (call.GetProperty("answeredBy").Str("raw"), call.GetProperty("answeredBy").Str("extension")));
        Assert.Equal("0052002642", call.GetProperty("endedWith").Str("extension"));
        var legs = call.GetProperty("legs").EnumerateArray().Select(l => (l.GetProperty("party").Str("extension"), l.Str("outcome"))).OrderBy(l => l.Item1, StringComparer.Ordinal);
        Assert.Equal([("0052002642", "answered"), ("0052002651", "no_answer")], legs);
        Assert.Equal(0, call.GetProperty("transfers").GetArrayLength());

        var stored = await HubDatabase.RawEventsAsync(shuffled.DataDirectory);
        Assert.Equal(hooks.Length, stored.Count);
        Assert.All(stored, r => Assert.Equal(("hook", "par-1"), (r.Kind, r.CallKey)));
    }

    [Fact]
    public async Task SameEventRetried_StoredOnceAndAnsweredTheSame()
    {
        await using var hub = await StartAsync();
        var hook = ParallelCall("twice-1")[0];
        var respaced = JsonSerializer.Serialize(JsonSerializer.Deserialize<Dictionary<string, string>>(hook)!.Reverse().ToDictionary(), new JsonSerializerOptions { WriteIndented = true });
        using var first = await hub.PostAsync(hook);
        using var second = await hub.PostAsync(respaced);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());

        Assert.Single(await HubDatabase.RawEventsAsync(hub.DataDirectory));
    }

    public static TheoryData<string, string, string> BadInput => new()
    {
        { "no SessionID", """{"HookType": "CreateIncCall", "StartTime": "2021-01-28 14:15:22", "Caller": "9582412128"}""", "SessionID is missing" },
        { "unknown HookType", """{"SessionID": "bad-1", "HookType": "HangUp", "StartTime": "2021-01-28 14:15:22"}""", "unknown HookType 'HangUp'" },
        { "unparsable date", """{"SessionID": "bad-2", "HookType": "CreateIncCall", "StartTime": "вчера"}""", "StartTime 'вчера' is not a time" },
        { "ResultCode outside the table", """{"SessionID": "bad-3", "HookType": "EndIncCall", "EndTime": "2021-01-28 18:27:19", "ResultCode": "999"}""", "ResultCode '999' is not in the spec's table" },
        { "not JSON", "SessionID=bad-4&HookType=CreateIncCall", "the body is not valid JSON" },
        { "empty body", "", "empty request" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task BadInput_AnsweredSuccessAndIsQuarantinedWithItsReason(string scenario, string body, string reason)
    {
        await using var hub = await StartAsync();
        using (var response = await hub.PostAsync(body))
        {
            Assert.Contains(reason, await HttpJson.AssertQuarantinedAnswerAsync(response, scenario), StringComparison.Ordinal);
        }

        var row = Assert.Single(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        Assert.Equal(("quarantined", AccountId, body), (row.Kind, row.Account, row.Body));
        Assert.True(row.Reason?.Contains(reason, StringComparison.Ordinal), $"{scenario}: reason {row.Reason}");
        using var list = await hub.Client.GetJsonAsync($"/api/v1/calls?account={AccountId}");
        Assert.Equal(0, list.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task WrongSecret_Answers403AndStoresNothing()
    {
        await using var hub = await StartAsync();
        var body = Encoding.UTF8.GetBytes(ParallelCall("denied-1")[0]);
        using (var wrong = await hub.PostAsync(body, path: $"/hooks/{AccountId}/not-the-secret"))
        {
            await AssertFailureAsync(wrong, HttpStatusCode.Forbidden);
        }

        using (var none = await hub.PostAsync(body, path: $"/hooks/{AccountId}"))
        {
            await AssertFailureAsync(none, HttpStatusCode.Forbidden);
        }

        // The Sipuni account's secret opens only the Sipuni account.
        using (var other = await hub.PostAsync(body, path: $"/hooks/{AccountId}/{HubServer.Secret}"))
        {
            await AssertFailureAsync(other, HttpStatusCode.Forbidden);
        }

        Assert.Empty(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        await hub.Client.GetJsonAsync(CallUrl("denied-1"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OutboundBusy_ServedAsBusyOutboundCallFromTheEmployee()
    {
        await using var hub = await StartAsync();
        await hub.PostAcceptedAsync(Hook("out-2", "EndOutCall", ("StartTime", "2021-01-28 10:00:00"), ("EndTime", "2021-01-28 10:00:04"), ("Duration", "0"), ("ResultCode", 486), ("CityNumber", City), ("Caller", "80052002651"), ("Called", "9161234567")));
        await hub.PostAcceptedAsync(Hook("out-2", "CreateOutCall", ("StartTime", "2021-01-28 10:00:00"), ("CityNumber", City), ("Caller", "80052002651"), ("Called", "9161234567")));

        using var doc = await hub.Client.GetJsonAsync($"/api/v1/calls?account={AccountId}&direction=outbound&outcome=busy");
        var call = Assert.Single(doc.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(("out-2", "ended", "486"), (call.Str("providerCallId"), call.Str("state"), call.Str("providerResult")));
        Assert.Equal(("80052002651", "0052002651"), (call.GetProperty("from").Str("raw"), call.GetProperty("from").Str("extension")));
        Assert.Equal("+79161234567", call.GetProperty("to").Str("number"));
        Assert.Equal(("2021-01-28T07:00:00Z", "2021-01-28T07:00:04Z", 4), (call.Str("startedAt"), call.Str("endedAt"), call.GetProperty("waitSeconds").GetInt32()));
    }

    private static string Comparable(JsonElement call) =>
        JsonSerializer.Serialize(call.EnumerateObject().Where(p => p.Name != "updatedAt").ToDictionary(p => p.Name, p => p.Value));
}
