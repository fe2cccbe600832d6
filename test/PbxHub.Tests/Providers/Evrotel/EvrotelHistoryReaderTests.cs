using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Providers;
using PbxHub.Providers.Evrotel;
using PbxHub.Reconciliation;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Tests.Providers.Evrotel;

/// <summary>Evrotel's history read over real HTTP from the stand-in's statistics page, by the reader the hub registers.</summary>
public sealed class EvrotelHistoryReaderTests : IAsyncLifetime
{
    private const string Page = "/statusers/stat_20558.php";
    private static readonly TimeZoneInfo KyivZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

    private readonly ServiceProvider services;
    private EmulatorHost receiver = null!;
    private EmulatorHost evrotel = null!;

    public EvrotelHistoryReaderTests()
    {
        var collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton(TimeProvider.System)
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        collection.AddProviders();
        services = collection.BuildServiceProvider();
    }

    private IHistoryReader Reader => services.GetRequiredService<HistoryRegistry>().Find("evrotel")!;

    public async Task InitializeAsync()
    {
        receiver = await EmulatorHost.StartAsync("http://127.0.0.1:0", app => app.MapPost("/hooks/acme", async (HttpRequest r) =>
            (await r.ReadFormAsync())["callstatus"] == "start" ? Results.Text("402092134178099") : Results.Text("OK")));
        evrotel = await EvrotelEmulator.StartAsync("http://127.0.0.1:0", new EvrotelEmulatorOptions
        {
            Token = EvrotelKit.Token, BillCode = "20558", HubUrl = receiver.BaseUrl + "/hooks/acme", TalkTime = TimeSpan.FromSeconds(1),
        }, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await evrotel.DisposeAsync();
        await receiver.DisposeAsync();
        await services.DisposeAsync();
    }

    [Fact]
    public async Task ReadAsync_ThreeDays_OnePageEachWithTheCallsAddedToTheStandIn()
    {
        await AddAsync("""
            [{"callId": "", "direction": "inbound", "from": "0987858227", "to": "0679853913", "line": null, "startedAt": "2026-11-30T21:59:00Z",
              "answeredAt": null, "endedAt": "2026-11-30T22:00:30Z", "outcome": "missed", "answeredBy": null, "recordingUrl": null},
             {"callId": "", "direction": "inbound", "from": "0987858227", "to": "0679853913", "line": null, "startedAt": "2026-11-30T22:00:00Z",
              "answeredAt": "2026-11-30T22:00:20Z", "endedAt": "2026-11-30T22:01:40Z", "outcome": "answered", "answeredBy": "101",
              "recordingUrl": "/wav/9/2026-12-01/1764540000.1-1.wav"},
             {"callId": "", "direction": "outbound", "from": "101", "to": "0501234567", "line": null, "startedAt": "2026-12-02T12:00:00Z",
              "answeredAt": null, "endedAt": "2026-12-02T12:00:15Z", "outcome": "busy", "answeredBy": null, "recordingUrl": null},
             {"callId": "", "direction": "outbound", "from": "101", "to": "0501234567", "line": null, "startedAt": "2026-12-03T22:00:00Z",
              "answeredAt": null, "endedAt": "2026-12-03T22:00:15Z", "outcome": "no_answer", "answeredBy": null, "recordingUrl": null}]
            """);
        var since = Kyiv("2026-12-01T00:00:00");

        var pages = await ReadAllAsync(since, Kyiv("2026-12-04T00:00:00"));

        Assert.Equal(3, evrotel.Requests.Count(r => r.Path == Page));
        Assert.Equal(
            ["start=2026-12-01", "start=2026-12-02", "start=2026-12-03"],
            pages.Cast<HistoryPage.Rows>().Select(p => p.Request[p.Request.IndexOf("start=", StringComparison.Ordinal)..]));
        Assert.All(pages.Cast<HistoryPage.Rows>(), p => Assert.StartsWith($"GET {evrotel.BaseUrl}{Page}?billcode=20558&start=", p.Request, StringComparison.Ordinal));
        var calls = pages.Cast<HistoryPage.Rows>().SelectMany(p => p.Calls).ToList();
        Assert.Equal(2, calls.Count); // 2026-11-30 23:59 Kyiv is the day before; 2026-12-04 00:00:00 Kyiv the day after
        Assert.All(calls, c => Assert.Null(c.CallKey));
        Assert.All(calls, c => Assert.Equal(c.Facts, Reader.Read(Account, c.Row)));
        var (answered, busy) = (calls[0].Facts, calls[1].Facts);
        Assert.Equal((Directions.Inbound, "+380987858227", "+380679853913", "+380679853913"), (answered.Direction, answered.From!.Number, answered.To!.Number, answered.Line!.Number));
        Assert.Equal((since, since.AddSeconds(20), since.AddSeconds(100)), (answered.StartedAt, answered.AnsweredAt, answered.EndedAt));
        Assert.Equal((Outcomes.Answered, 80, "ANSWERED"), (answered.Outcome, answered.TalkSeconds, answered.ProviderResult));
        Assert.Equal(EvrotelKit.RecordingBaseUrl + "/wav/9/2026-12-01/1764540000.1-1.wav", answered.RecordingUrl);
        Assert.Equal((Directions.Outbound, "101", "+380501234567", Outcomes.Busy, 0), (busy.Direction, busy.From!.Extension, busy.To!.Number, busy.Outcome, busy.TalkSeconds));
        Assert.Equal((DateTimeOffset.Parse("2026-12-02T12:00:00Z"), (DateTimeOffset?)null), (busy.StartedAt, busy.AnsweredAt));
    }

    [Fact]
    public async Task ReadAsync_PeriodWithinADay_CallsOutsideItDropped()
    {
        await AddAsync("""
            [{"callId": "", "direction": "inbound", "from": "0987858227", "to": "0679853913", "line": null, "startedAt": "2026-12-01T07:59:59Z",
              "answeredAt": null, "endedAt": "2026-12-01T08:00:30Z", "outcome": "missed", "answeredBy": null, "recordingUrl": null},
             {"callId": "", "direction": "inbound", "from": "0987858228", "to": "0679853913", "line": null, "startedAt": "2026-12-01T08:00:00Z",
              "answeredAt": null, "endedAt": "2026-12-01T08:00:30Z", "outcome": "missed", "answeredBy": null, "recordingUrl": null},
             {"callId": "", "direction": "inbound", "from": "0987858229", "to": "0679853913", "line": null, "startedAt": "2026-12-01T09:00:00Z",
              "answeredAt": null, "endedAt": "2026-12-01T09:00:30Z", "outcome": "missed", "answeredBy": null, "recordingUrl": null}]
            """);

        var pages = await ReadAllAsync(DateTimeOffset.Parse("2026-12-01T08:00:00Z"), DateTimeOffset.Parse("2026-12-01T09:00:00Z"));

        var call = Assert.Single(((HistoryPage.Rows)Assert.Single(pages)).Calls);
        Assert.Equal(("+380987858228", Outcomes.Missed), (call.Facts.From!.Number, call.Facts.Outcome));
    }

    [Fact]
    public async Task ReadAsync_IntegrationsSampleAnswer_AskedAsItAsksAndItsTwoCallsKeptByteForByte()
    {
        var twice = Encoding.UTF8.GetString(EvrotelStatFactsTests.Sample).Replace("\n  ]\n}", ",\n" + FirstRow() + "\n  ]\n}", StringComparison.Ordinal);
        await using var site = await EmulatorHost.StartAsync("http://127.0.0.1:0", app => app.MapGet(
            "/statusers/stat_6667.php", () => Results.Bytes(Encoding.UTF8.GetBytes(twice), "application/json")));
        var settings = new Dictionary<string, string>(Account.Settings)
        {
            [EvrotelAdapter.BillCodeSetting] = "6667", [EvrotelHistoryReader.StatUrlSetting] = site.BaseUrl + "/",
        };

        var pages = await ReadAllAsync(Kyiv("2018-12-25T00:00:00"), Kyiv("2018-12-26T00:00:00"), Account with { Settings = settings });

        // The URL wearesho-team/evrotel's ClientTest::testManualUrl expects; its first row once though the answer repeats it.
        var rows = (HistoryPage.Rows)Assert.Single(pages);
        Assert.Equal($"GET {site.BaseUrl}/statusers/stat_6667.php?billcode=6667&start=2018-12-25", rows.Request);
        Assert.Equal(["id:63705443", "id:63705451"], rows.Calls.Select(c => c.RowId));
        Assert.Equal(FirstRow(), Encoding.UTF8.GetString(rows.Calls[0].Row.Body));
        Assert.Equal(("billcode=6667&start=2018-12-25", "application/json"), (rows.Calls[0].Row.Query, rows.Calls[0].Row.ContentType));
        Assert.Equal(["+380971642002", "+380994942964"], rows.Calls.Select(c => c.Facts.To!.Number));
    }

    [Fact]
    public async Task ReadAsync_TheSamePageTwice_TheSameRowIdsAndRows()
    {
        await AddAsync("""[{"callId": "", "direction": "inbound", "from": "0987858227", "to": "0679853913", "line": null, "startedAt": "2026-12-01T10:00:00Z", "answeredAt": null, "endedAt": "2026-12-01T10:00:30Z", "outcome": "missed", "answeredBy": null, "recordingUrl": null}]""");

        var first = Assert.Single(((HistoryPage.Rows)Assert.Single(await ReadAllAsync(Kyiv("2026-12-01T00:00:00"), Kyiv("2026-12-02T00:00:00")))).Calls);
        var again = Assert.Single(((HistoryPage.Rows)Assert.Single(await ReadAllAsync(Kyiv("2026-12-01T00:00:00"), Kyiv("2026-12-02T00:00:00")))).Calls);

        Assert.Equal(first.RowId, again.RowId);
        Assert.Equal(first.Row.Body, again.Row.Body);
        Assert.StartsWith("{\"channel\":", Encoding.UTF8.GetString(first.Row.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CallPlacedThroughTheStandIn_ComesBackAsItsEventsToldIt()
    {
        var before = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        var placed = await services.GetRequiredService<OutboundRegistry>().Find("evrotel")!
            .PlaceCallAsync(Account, new PlaceCallInput(["101"], "0679853913", []), CancellationToken.None);
        Assert.IsType<OutboundOutcome.Placed>(placed);
        for (var i = 0; i < 100 && receiver.Requests.Count < 2; i++)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        var pages = await ReadAllAsync(before, TimeProvider.System.GetUtcNow().AddMinutes(1));

        var call = Assert.Single(pages.Cast<HistoryPage.Rows>().SelectMany(p => p.Calls)).Facts;
        var (start, end) = (Form(receiver.Requests[0].Body), Form(receiver.Requests[1].Body));
        Assert.Equal((Directions.Outbound, "101", "+380679853913", Outcomes.Answered), (call.Direction, call.From!.Extension, call.To!.Number, call.Outcome));
        Assert.Equal(EvrotelKit.Utc(start["calldate"].Replace(' ', 'T') + "+02:00"), call.StartedAt);
        Assert.Equal(EvrotelKit.Utc(end["calldate"].Replace(' ', 'T') + "+02:00"), call.EndedAt);
        Assert.Equal((int.Parse(end["billsec"]), "ANSWERED"), (call.TalkSeconds, call.ProviderResult));
        Assert.Equal(EvrotelSignals.RecordingUrl(Account, end["recfile"]), call.RecordingUrl);
    }

    [Theory]
    [InlineData("error")]
    [InlineData("wrong-billcode")]
    [InlineData("unreachable")]
    public async Task ReadAsync_PageCannotBeRead_HistoryUnavailable(string fault)
    {
        var account = Account;
        if (fault == "error")
        {
            await PostAsync("/_emulator/history/fault?mode=error", "");
        }
        else
        {
            var settings = new Dictionary<string, string>(account.Settings);
            settings[fault == "wrong-billcode" ? EvrotelAdapter.BillCodeSetting : EvrotelHistoryReader.StatUrlSetting] =
                fault == "wrong-billcode" ? "99999" : "http://127.0.0.1:1/";
            account = account with { Settings = settings };
        }

        await Assert.ThrowsAsync<HistoryUnavailableException>(() => ReadAllAsync(Kyiv("2026-12-01T00:00:00"), Kyiv("2026-12-02T00:00:00"), account));
    }

    [Fact]
    public async Task ReadAsync_PageAnswersHtml_GarbageKeepingTheAnswer()
    {
        await PostAsync("/_emulator/history/fault?mode=garbage", "");

        var garbage = Assert.IsType<HistoryPage.Garbage>(Assert.Single(await ReadAllAsync(Kyiv("2026-12-01T00:00:00"), Kyiv("2026-12-02T00:00:00"))));

        Assert.StartsWith("<html>", Encoding.UTF8.GetString(garbage.Answer.Body), StringComparison.Ordinal);
        Assert.StartsWith("text/html", garbage.Answer.ContentType, StringComparison.Ordinal);
        Assert.Equal("billcode=20558&start=2026-12-01", garbage.Answer.Query);
        Assert.Contains("not JSON", garbage.Reason, StringComparison.Ordinal);
    }

    private Account Account => new(
        "acme", "evrotel", "", "Europe/Kyiv", "UA",
        new Dictionary<string, string>
        {
            [EvrotelAdapter.TokenSetting] = EvrotelKit.Token, [EvrotelAdapter.BillCodeSetting] = "20558", [EvrotelAdapter.BaseUrlSetting] = evrotel.BaseUrl,
            [EvrotelHistoryReader.StatUrlSetting] = evrotel.BaseUrl + "/", [EvrotelAdapter.RecordingBaseUrlSetting] = EvrotelKit.RecordingBaseUrl,
        },
        AccountSources.Configuration);

    private async Task<List<HistoryPage>> ReadAllAsync(DateTimeOffset since, DateTimeOffset until, Account? account = null)
    {
        var pages = new List<HistoryPage>();
        await foreach (var page in Reader.ReadAsync(account ?? Account, since, until, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    private Task AddAsync(string json) => PostAsync("/_emulator/history", json);

    private async Task PostAsync(string path, string json)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(evrotel.BaseUrl + path, new StringContent(json, Encoding.UTF8, "application/json"), CancellationToken.None);
        response.EnsureSuccessStatusCode();
    }

    private static DateTimeOffset Kyiv(string wallClock) =>
        LocalTimes.FromWallClock(DateTime.Parse(wallClock, System.Globalization.CultureInfo.InvariantCulture), KyivZone);

    private static string FirstRow()
    {
        var text = Encoding.UTF8.GetString(EvrotelStatFactsTests.Sample);
        var start = text.IndexOf("    {", StringComparison.Ordinal) + 4;
        return text[start..(text.IndexOf("\n    }", start, StringComparison.Ordinal) + 6)];
    }

    private static Dictionary<string, string> Form(string form) => form.Split('&').Select(p => p.Split('=', 2))
        .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p[1]));
}
