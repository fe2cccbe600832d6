using System.Globalization;
using System.Net;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Providers.Evrotel;

/// <summary>Evrotel's call events over real HTTP into a real hub: answers, stored events and the call served.</summary>
public sealed class EvrotelHookTests
{
    private static DateTimeOffset Utc(JsonElement call, string name) =>
        DateTimeOffset.Parse(call.Str(name)!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static void AssertParty(JsonElement party, string raw, string? number, string? extension)
    {
        Assert.Equal(raw, party.Str("raw"));
        Assert.Equal(number, party.Str("number"));
        Assert.Equal(extension, party.Str("extension"));
    }

    [Fact]
    public async Task Hook_StartRetriedStartThenEnd_CallIdAnsweredTwiceAndOneCallServed()
    {
        await using var hub = await EvrotelHub.StartAsync();
        var (start, callId) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Equal("text/plain", start.Content.Headers.ContentType?.MediaType);
        Assert.Matches("^[1-9][0-9]{14}$", callId);

        // The transmitter retries, as PHP's http_build_query form this time: the same call id, stored once.
        var (retry, retryBody) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.form"));
        Assert.Equal((HttpStatusCode.OK, callId), (retry.StatusCode, retryBody));

        var end = EvrotelHub.Fixture("end.json").Replace("\"123456789\"", $"\"{callId}\"", StringComparison.Ordinal);
        var (ended, endBody) = await EvrotelHub.PostAsync(hub, end);
        Assert.Equal((HttpStatusCode.OK, "OK"), (ended.StatusCode, endBody));

        using var list = await hub.Client.GetJsonAsync($"/api/v1/calls?account={EvrotelHub.AccountId}");
        var call = Assert.Single(list.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(StableIds.CallId(EvrotelHub.AccountId, callId), call.Str("id"));
        Assert.Equal(("kyiv", "evrotel", callId), (call.Str("account"), call.Str("provider"), call.Str("providerCallId")));
        Assert.Equal("inbound", call.Str("direction"));
        AssertParty(call.GetProperty("from"), "0987858227", "+380987858227", null);
        AssertParty(call.GetProperty("to"), "0679853913", "+380679853913", null);
        AssertParty(call.GetProperty("line"), "0679853913", "+380679853913", null);
        Assert.Equal(("ended", "answered", "ANSWERED"), (call.Str("state"), call.Str("outcome"), call.Str("providerResult")));
        Assert.Equal(DateTimeOffset.Parse("2018-03-31T21:00:11Z", CultureInfo.InvariantCulture), Utc(call, "startedAt"));
        Assert.Equal(DateTimeOffset.Parse("2018-03-31T21:00:53Z", CultureInfo.InvariantCulture), Utc(call, "answeredAt"));
        Assert.Equal(DateTimeOffset.Parse("2018-03-31T21:02:11Z", CultureInfo.InvariantCulture), Utc(call, "endedAt"));
        Assert.Equal((42, 78), (call.GetProperty("waitSeconds").GetInt32(), call.GetProperty("talkSeconds").GetInt32()));
        Assert.Equal(EvrotelHub.RecordingBaseUrl + "/wav/9/2018-04-01/1522566805.1461640-1198614775.wav", call.Str("recordingUrl"));
        Assert.False(call.GetProperty("incomplete").GetBoolean());

        var rows = await HubDatabase.RawEventsAsync(hub.DataDirectory);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(("kyiv", "hook", callId), (r.Account, r.Kind, r.CallKey)));
    }

    [Fact]
    public async Task Hook_EndWithCallIdNeverIssued_EndedCallFlaggedIncomplete()
    {
        await using var hub = await EvrotelHub.StartAsync();
        var (response, body) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("php-sender-end.form"));
        Assert.Equal((HttpStatusCode.OK, "OK"), (response.StatusCode, body));

        using var call = await hub.Client.GetJsonAsync($"/api/v1/calls/{StableIds.CallId(EvrotelHub.AccountId, "123456789")}");
        var record = call.RootElement;
        Assert.True(record.GetProperty("incomplete").GetBoolean());
        Assert.Equal(("ended", "answered"), (record.Str("state"), record.Str("outcome")));
        AssertParty(record.GetProperty("from"), "0987858227", "+380987858227", null);
        Assert.Equal(78, record.GetProperty("talkSeconds").GetInt32());
    }

    public static TheoryData<string, string?> Refused => new()
    {
        { "wrong token", "G7bng65jYk8GF295" },
        { "no Authorization header", null },
        { "token inside other text", "x G7bng65jYk8GF294 x" },
        { "wrong bearer token", "Bearer nope" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Hook_BadOrMissingToken_Answers403AccessDeniedAndStoresNothing(string scenario, string? authorization)
    {
        await using var hub = await EvrotelHub.StartAsync();
        var (response, body) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"), authorization);

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{scenario}: {(int)response.StatusCode} {body}");
        Assert.Equal("Access denied", body);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        using var list = await hub.Client.GetJsonAsync($"/api/v1/calls?account={EvrotelHub.AccountId}");
        Assert.Equal(0, list.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Hook_BearerToken_Accepted()
    {
        await using var hub = await EvrotelHub.StartAsync();
        var (response, body) = await EvrotelHub.PostAsync(hub, EvrotelHub.Fixture("start.json"), "Bearer " + EvrotelHub.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^[1-9][0-9]{14}$", body);
    }

    public static TheoryData<string, string, string> BadInput => new()
    {
        { "unknown callstatus", """{"callstatus": "hold", "calldate": "2018-04-01 00:00:11"}""", "unknown callstatus 'hold' (expected start or end)" },
        { "non-numeric billsec", "callstatus=end&date=2018-04-01+00%3A02%3A11&callid=1&billsec=abc", "billsec 'abc' is not a whole number of seconds" },
        { "unparsable date", """{"callstatus": "start", "date": "1 April 2018"}""", "date '1 April 2018' is not a date and time such as 2018-04-01 00:00:11" },
        { "empty body", "", "empty body: no Evrotel call event fields" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Hook_BadInput_Answers400WithTheReasonAndQuarantines(string scenario, string body, string reason)
    {
        await using var hub = await EvrotelHub.StartAsync();
        var (response, answer) = await EvrotelHub.PostAsync(hub, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{scenario}: {(int)response.StatusCode} {answer}");
        Assert.Equal(reason, answer);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var row = Assert.Single(await HubDatabase.RawEventsAsync(hub.DataDirectory));
        Assert.Equal(("kyiv", "quarantined", reason, body), (row.Account, row.Kind, row.Reason, row.Body));
        using var list = await hub.Client.GetJsonAsync($"/api/v1/calls?account={EvrotelHub.AccountId}");
        Assert.Equal(0, list.RootElement.GetProperty("items").GetArrayLength());
    }
}
