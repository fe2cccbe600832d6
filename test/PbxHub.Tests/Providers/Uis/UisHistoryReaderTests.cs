using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Providers;
using PbxHub.Reconciliation;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Tests.Providers.Uis;

/// <summary>The UIS history reader over real HTTP against the UIS stand-in's Data API.</summary>
public sealed class UisHistoryReaderTests
{
    private static readonly DateTimeOffset Day = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    private static HistoryCall Inbound(string id, DateTimeOffset at, string outcome = "answered") => new(
        id, "inbound", "79161234567", "74951234567", "74951234567", at, outcome == "answered" ? at.AddSeconds(7) : null, at.AddSeconds(67), outcome,
        outcome == "answered" ? "79031112233" : null, outcome == "answered" ? $"https://media.uiscom.ru/{id}/rec" : null);

    private static List<JsonObject> Requests(EmulatorHost uis, string method) =>
        [.. uis.Requests.Where(r => r.Path == "/v2.0").Select(r => JsonNode.Parse(r.Body)!.AsObject()).Where(j => (string?)j["method"] == method)];

    private static async Task<string> Answer(HttpClient http, EmulatorHost uis, string request)
    {
        using var content = new StringContent(request, Encoding.UTF8, "application/json");
        return await (await http.PostAsync(uis.BaseUrl + "/v2.0", content)).Content.ReadAsStringAsync();
    }

    private static List<HistoryRow> Rows(IEnumerable<HistoryPage> pages) => [.. pages.OfType<HistoryPage.Rows>().SelectMany(p => p.Calls)];

    [Fact]
    public async Task ReadAsync_CallsAddedThroughEmulatorHistory_ComeBackWithTheirFacts()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        using var fixture = new UisHistoryFixture(time);
        var answered = Inbound("3114546", Day.AddHours(9));
        var missed = Inbound("3114547", Day.AddHours(10), "missed");
        var busy = new HistoryCall("3114548", "outbound", "79164572521", "74959891628", "74993720692", Day.AddHours(11), null, Day.AddHours(11).AddSeconds(20), "busy", null, null);
        await UisHistoryFixture.AddHistoryAsync(uis, answered, missed, busy);

        var rows = Rows(await UisHistoryFixture.ReadAllAsync(fixture.Reader, UisHistoryFixture.Account(uis.BaseUrl + "/v2.0"), Day, Day.AddDays(1)));

        Assert.Equal(["3114546", "3114547", "3114548"], rows.Select(r => r.CallKey));
        var a = rows[0].Facts;
        Assert.Equal(("inbound", "+79161234567", "+74951234567", "+74951234567"), (a.Direction, a.From!.Number, a.To!.Number, a.Line!.Number));
        Assert.Equal((answered.StartedAt, answered.AnsweredAt, answered.EndedAt), (a.StartedAt, a.AnsweredAt, a.EndedAt));
        Assert.Equal(("answered", 60, "+79031112233", "https://media.uiscom.ru/3114546/rec"), (a.Outcome, a.TalkSeconds, a.AnsweredBy!.Number, a.RecordingUrl));
        Assert.Equal(("missed", null, 0), (rows[1].Facts.Outcome, rows[1].Facts.AnsweredBy, rows[1].Facts.TalkSeconds));
        var b = rows[2].Facts;
        Assert.Equal(("outbound", "busy", "+79164572521", "+74959891628", "+74993720692"), (b.Direction, b.Outcome, b.From!.Number, b.To!.Number, b.Line!.Number));
        Assert.All(rows, r => Assert.Equal(r.Facts, fixture.Reader.Read(UisHistoryFixture.Account(uis.BaseUrl + "/v2.0"), r.Row)));
    }

    [Fact]
    public async Task ReadAsync_StoredRow_IsTheCallAndItsLegsAsUisSentThem()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        using var fixture = new UisHistoryFixture(time);
        await UisHistoryFixture.AddHistoryAsync(uis, Inbound("3114546", Day.AddHours(9)));

        var row = Rows(await UisHistoryFixture.ReadAllAsync(fixture.Reader, UisHistoryFixture.Account(uis.BaseUrl), Day, Day.AddDays(1))).Single();

        var envelope = JsonDocument.Parse(row.Row.Body).RootElement;
        var asked = uis.Requests.Where(r => r.Path == "/v2.0").Select(r => r.Body).ToList();
        using var http = new HttpClient();
        var callsAnswer = await Answer(http, uis, asked[0]);
        var legsAnswer = await Answer(http, uis, asked[1]);
        Assert.Contains(envelope.GetProperty("call").GetRawText(), callsAnswer, StringComparison.Ordinal);
        Assert.Equal(2, envelope.GetProperty("legs").GetArrayLength());
        Assert.All(envelope.GetProperty("legs").EnumerateArray(), leg => Assert.Contains(leg.GetRawText(), legsAnswer, StringComparison.Ordinal));
        Assert.Equal(time.GetUtcNow(), row.Row.ReceivedAt);
        Assert.DoesNotContain(UisHistoryFixture.Token, Encoding.UTF8.GetString(row.Row.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CallStartedInThePeriodsLastSecond_StillGetsTheLegThatBeganAfterIt()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        using var fixture = new UisHistoryFixture(time);
        await UisHistoryFixture.AddHistoryAsync(uis, Inbound("3114546", Day.AddDays(1).AddSeconds(-1)));

        var row = Rows(await UisHistoryFixture.ReadAllAsync(fixture.Reader, UisHistoryFixture.Account(uis.BaseUrl), Day, Day.AddDays(1))).Single();

        var legs = JsonNode.Parse(row.Row.Body)!["legs"]!.AsArray();
        Assert.Equal([false, true], legs.Select(l => (bool)l!["is_operator"]!).Order());
        Assert.Equal("2026-12-02 03:01:06", (string?)Requests(uis, "get.call_legs_report").Single()["params"]!["date_till"]);
    }

    [Fact]
    public async Task ReadAsync_MoreCallsThanAPage_ReadsEveryPageByOffset()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        using var fixture = new UisHistoryFixture(time);
        var calls = Enumerable.Range(0, 2345).Select(i => Inbound((5_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), Day.AddSeconds(30 * i))).ToArray();
        await UisHistoryFixture.AddHistoryAsync(uis, calls);

        var pages = await UisHistoryFixture.ReadAllAsync(fixture.Reader, UisHistoryFixture.Account(uis.BaseUrl + "/v2.0"), Day, Day.AddDays(1));

        Assert.Equal([1000, 1000, 345], pages.Cast<HistoryPage.Rows>().Select(p => p.Calls.Count));
        Assert.Equal(calls.Select(c => c.CallId), Rows(pages).Select(r => r.CallKey));
        Assert.Equal([0, 1000, 2000], Requests(uis, "get.calls_report").Select(r => (int)r["params"]!["offset"]!));
        Assert.All(Requests(uis, "get.calls_report"), r => Assert.Equal(1000, (int)r["params"]!["limit"]!));
        Assert.All(Rows(pages), r => Assert.Equal("answered", r.Facts.Outcome));
    }

    [Fact]
    public async Task ReadAsync_PeriodLongerThanOneRequestAllows_SplitsItAndReadsEveryCall()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        using var fixture = new UisHistoryFixture(time);
        var since = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        await UisHistoryFixture.AddHistoryAsync(uis, Inbound("1", since.AddDays(1)), Inbound("2", since.AddDays(45)), Inbound("3", since.AddDays(100)), Inbound("4", since.AddDays(130)));

        var pages = await UisHistoryFixture.ReadAllAsync(fixture.Reader, UisHistoryFixture.Account(uis.BaseUrl + "/v2.0"), since, since.AddDays(120));

        Assert.Equal(["1", "2", "3"], Rows(pages).Select(r => r.CallKey));
        var periods = Requests(uis, "get.calls_report").Select(r => ((string)r["params"]!["date_from"]!, (string)r["params"]!["date_till"]!)).ToList();
        Assert.Equal(("2026-05-01 03:00:00", "2026-06-01 02:59:59"), periods[0]);
        Assert.Equal(("2026-08-01 03:00:00", "2026-08-29 02:59:59"), periods[^1]);
        Assert.Equal(4, periods.Count);
    }

    [Fact]
    public async Task ReadAsync_NoMinutePointsLeft_WaitsForTheResetBeforeTheNextRequest()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time, new UisEmulatorOptions { MinuteRemaining = 0 });
        using var fixture = new UisHistoryFixture(time);
        await UisHistoryFixture.AddHistoryAsync(uis, Inbound("1", Day.AddHours(1)));

        var reading = UisHistoryFixture.ReadAllAsync(fixture.Reader, UisHistoryFixture.Account(uis.BaseUrl), Day, Day.AddDays(1));
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (Requests(uis, "get.calls_report").Count == 0)
            {
                await Task.Delay(20, wait.Token);
            }
        }

        await Task.Delay(200);
        Assert.False(reading.IsCompleted);
        Assert.Empty(Requests(uis, "get.call_legs_report"));
        // The reader may not be waiting yet on a busy machine: the clock moves on until the next request has gone, then
        // stands still. Requests time out on the same clock (15 s): steps of 5 s, and none while the legs are asked for.
        for (var i = 0; i < 400 && !reading.IsCompleted && Requests(uis, "get.call_legs_report").Count == 0; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(reading, Task.Delay(50));
        }

        var pages = await reading;

        Assert.Single(Requests(uis, "get.call_legs_report"));
        Assert.Equal("1", Rows(pages).Single().CallKey);
    }

    [Theory]
    [InlineData("access_token_expired", "-32001 access_token_expired")]
    [InlineData("limit_exceeded", "-32029 limit_exceeded")]
    [InlineData("http500", "HTTP 500")]
    public async Task ReadAsync_ErrorAnswer_ThrowsHistoryUnavailableNamingIt(string mode, string named)
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        using var fixture = new UisHistoryFixture(time);
        await UisHistoryFixture.AddHistoryAsync(uis, Inbound("1", Day.AddHours(1)));
        await UisHistoryFixture.MisbehaveAsync(uis, mode);

        var error = await Assert.ThrowsAsync<HistoryUnavailableException>(() =>
            UisHistoryFixture.ReadAllAsync(fixture.Reader, UisHistoryFixture.Account(uis.BaseUrl + "/v2.0"), Day, Day.AddDays(1)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WrongToken_ThrowsSayingToIssueANewKey()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        using var fixture = new UisHistoryFixture(time);

        var error = await Assert.ThrowsAsync<HistoryUnavailableException>(() =>
            UisHistoryFixture.ReadAllAsync(fixture.Reader, UisHistoryFixture.Account(uis.BaseUrl + "/v2.0", token: "stale"), Day, Day.AddDays(1)));

        Assert.Contains("access_token_invalid", error.Message, StringComparison.Ordinal);
        Assert.Contains("Uis:AccessToken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_GarbageAnswer_IsAGarbagePageWithTheAnswerAsReceived()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        using var fixture = new UisHistoryFixture(time);
        await UisHistoryFixture.AddHistoryAsync(uis, Inbound("1", Day.AddHours(1)));
        await UisHistoryFixture.MisbehaveAsync(uis, "garbage");

        var pages = await UisHistoryFixture.ReadAllAsync(fixture.Reader, UisHistoryFixture.Account(uis.BaseUrl + "/v2.0"), Day, Day.AddDays(1));

        var garbage = Assert.IsType<HistoryPage.Garbage>(Assert.Single(pages));
        Assert.Equal("<html><body>502 Bad Gateway</body></html>", Encoding.UTF8.GetString(garbage.Answer.Body));
        Assert.StartsWith("get.calls_report 2026-12-01 03:00:00…2026-12-02 02:59:59", garbage.Request, StringComparison.Ordinal);
        Assert.Contains("not JSON", garbage.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LegsAnswerGarbage_IsAGarbagePageForThatPage()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        using var fixture = new UisHistoryFixture(time);
        await UisHistoryFixture.AddHistoryAsync(uis, Inbound("1", Day.AddHours(1)));
        await UisHistoryFixture.MisbehaveAsync(uis, "garbage", after: 1);

        var pages = await UisHistoryFixture.ReadAllAsync(fixture.Reader, UisHistoryFixture.Account(uis.BaseUrl + "/v2.0"), Day, Day.AddDays(1));

        var garbage = Assert.IsType<HistoryPage.Garbage>(Assert.Single(pages));
        Assert.StartsWith("get.call_legs_report for get.calls_report", garbage.Request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CallPlacedThroughTheCallApi_IsInTheHistoryAnsweredByTheOperator()
    {
        await using var uis = await UisHistoryFixture.StartAsync(time);
        using var fixture = new UisHistoryFixture(time);
        using var outbound = new OutboundHarness(time);
        var account = UisFixture.Account(uis) with
        {
            Settings = new Dictionary<string, string>(UisFixture.Account(uis).Settings) { ["Uis:DataApiUrl"] = uis.BaseUrl, ["Uis:AccessToken"] = UisHistoryFixture.Token },
        };
        var placedAt = time.GetUtcNow();
        Assert.IsType<OutboundOutcome.Placed>(await outbound.For("uis").PlaceCallAsync(account, new PlaceCallInput(["79164572521"], "74959891628", []), CancellationToken.None));

        Assert.Empty(Rows(await UisHistoryFixture.ReadAllAsync(fixture.Reader, account, placedAt.AddHours(-1), placedAt.AddHours(1))));
        time.Advance(TimeSpan.FromMinutes(2));
        var row = Assert.Single(Rows(await UisHistoryFixture.ReadAllAsync(fixture.Reader, account, placedAt.AddHours(-1), placedAt.AddHours(1))));

        Assert.Equal(("outbound", "answered", "+79164572521", "+74959891628", "+74993720692"),
            (row.Facts.Direction, row.Facts.Outcome, row.Facts.From!.Number, row.Facts.To!.Number, row.Facts.Line!.Number));
        Assert.Equal("+79164572521", row.Facts.AnsweredBy!.Number);
        Assert.Equal(placedAt, row.Facts.StartedAt);
        Assert.Equal(62, row.Facts.TalkSeconds);
    }

    [Theory]
    [InlineData(null, "t", "Uis:DataApiUrl is required")]
    [InlineData("dataapi.uiscom.ru", "t", "is not an absolute http(s) URL")]
    [InlineData("https://dataapi.uiscom.ru/v2.0", null, "Uis:AccessToken is required")]
    public void SettingsProblems_MissingOrMalformed_NamesTheSetting(string? url, string? token, string problem)
    {
        using var fixture = new UisHistoryFixture(time);

        Assert.Contains(fixture.Reader.SettingsProblems(UisHistoryFixture.Account(url, token)), p => p.Contains(problem, StringComparison.Ordinal));
        Assert.Empty(fixture.Reader.SettingsProblems(UisHistoryFixture.Account("https://dataapi.uiscom.ru/v2.0")));
    }

    [Fact]
    public void AdapterSettingsProblems_DataApiAlone_IsAValidAccount()
    {
        var adapter = new PbxHub.Providers.Uis.UisAdapter();

        Assert.Empty(adapter.SettingsProblems(UisHistoryFixture.Account("https://dataapi.uiscom.ru/v2.0")));
        Assert.Contains(adapter.SettingsProblems(UisHistoryFixture.Account(null, token: null)), p => p.Contains("Uis:BaseUrl", StringComparison.Ordinal));
        Assert.Contains(adapter.SettingsProblems(UisHistoryFixture.Account("https://dataapi.uiscom.ru/v2.0", token: null)), p => p.Contains("Uis:AccessToken", StringComparison.Ordinal));
    }
}
