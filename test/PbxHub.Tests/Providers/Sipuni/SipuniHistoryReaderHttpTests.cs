using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Providers;
using PbxHub.Reconciliation;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Tests.Providers.Sipuni;

/// <summary>The Sipuni history reader as the hub wires it, over real HTTP against <c>pbxhub emulate sipuni</c>'s stand-in.</summary>
public sealed class SipuniHistoryReaderHttpTests : IAsyncLifetime
{
    private const string User = "012345";
    private const string Secret = "0.1234567890";

    private static readonly DateTimeOffset Dec3 = DateTimeOffset.Parse("2026-12-02T21:00:00Z"); // 3 December, 00:00 in Moscow
    private readonly HttpClient client = new();
    private ServiceProvider services = null!;
    private EmulatorHost sipuni = null!;

    public async Task InitializeAsync()
    {
        sipuni = await SipuniEmulator.StartAsync("http://127.0.0.1:0", new SipuniEmulatorOptions { User = User, Secret = Secret }, new HistoryBook());
        services = Services(new Dictionary<string, string?> { ["PbxHub:Outbound:RequestTimeout"] = "00:00:01", ["PbxHub:Outbound:IdempotentRetries"] = "0" });
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await services.DisposeAsync();
        await sipuni.DisposeAsync();
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton(TimeProvider.System)
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        collection.AddProviders();
        return collection.BuildServiceProvider();
    }

    private IHistoryReader Reader => services.GetRequiredService<HistoryRegistry>().Find("sipuni")!;

    private Account Account(string secret = Secret) => SipuniHistoryTests.Moscow(settings: new()
    {
        ["Sipuni:User"] = User, ["Sipuni:ApiSecret"] = secret, ["Sipuni:ApiUrl"] = sipuni.BaseUrl + "/api", ["Sipuni:UserNumber"] = User,
    });

    private async Task<List<HistoryPage>> ReadAsync(DateTimeOffset since, DateTimeOffset until, Account? account = null)
    {
        var pages = new List<HistoryPage>();
        await foreach (var page in Reader.ReadAsync(account ?? Account(), since, until, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    private async Task AddAsync(params HistoryCall[] calls) =>
        (await client.PostAsJsonAsync(sipuni.BaseUrl + "/_emulator/history", calls)).EnsureSuccessStatusCode();

    private async Task FaultAsync(string mode, int seconds = 30) =>
        (await client.PostAsync($"{sipuni.BaseUrl}/_emulator/fault?mode={mode}&seconds={seconds}", null)).EnsureSuccessStatusCode();

    [Fact]
    public async Task ReadAsync_ThreeDaysOfCalls_OneSignedRequestPerDayAndEachCallsFacts()
    {
        var inbound = new HistoryCall("1764716400.101", "inbound", "+79031234567", "101", "74951234567",
            Dec3.AddHours(10), Dec3.AddHours(10).AddSeconds(12), Dec3.AddHours(10).AddSeconds(92), "answered", "101", null);
        var outbound = new HistoryCall("1764806400.102", "outbound", "012345102", "89161234567", "74951234567",
            Dec3.AddDays(1).AddHours(9), null, Dec3.AddDays(1).AddHours(9).AddSeconds(30), "no_answer", null, null);
        var outside = inbound with { CallId = "1764979200.103", StartedAt = Dec3.AddDays(3), AnsweredAt = Dec3.AddDays(3).AddSeconds(5), EndedAt = Dec3.AddDays(3).AddSeconds(9) };
        await AddAsync(inbound, outbound, outside);

        var pages = await ReadAsync(Dec3, Dec3.AddDays(3));

        Assert.Equal(["statistic/export user=012345 from=03.12.2026 to=03.12.2026", "statistic/export user=012345 from=04.12.2026 to=04.12.2026",
            "statistic/export user=012345 from=05.12.2026 to=05.12.2026"], pages.Select(p => ((HistoryPage.Rows)p).Request));
        var rows = pages.SelectMany(p => ((HistoryPage.Rows)p).Calls).ToList();
        Assert.Equal(["1764716400.101", "1764806400.102"], rows.Select(r => r.CallKey));
        Assert.Equal(rows.Select(r => r.CallKey), rows.Select(r => r.RowId));
        var (a, b) = (rows[0].Facts, rows[1].Facts);
        Assert.Equal((Directions.Inbound, "+79031234567", "+74951234567", "+74951234567"), (a.Direction, a.From?.Number, a.To?.Number, a.Line?.Number));
        Assert.Equal((inbound.StartedAt, inbound.AnsweredAt, inbound.EndedAt, Outcomes.Answered, 80, "101"),
            (a.StartedAt, a.AnsweredAt, a.EndedAt, a.Outcome, a.TalkSeconds, a.AnsweredBy?.Extension));
        Assert.Equal((Directions.Outbound, "102", "+79161234567", "+74951234567", Outcomes.NoAnswer, "Не отвечен"),
            (b.Direction, b.From?.Extension, b.To?.Number, b.Line?.Number, b.Outcome, b.ProviderResult));
        Assert.All(rows, r => Assert.Equal(r.Facts, Reader.Read(Account(), r.Row)));
        Assert.All(rows, r => Assert.StartsWith("Тип;Статус;Время;", System.Text.Encoding.UTF8.GetString(r.Row.Body), StringComparison.Ordinal));
        Assert.Equal(3, sipuni.Requests.Count(r => r.Path == "/api/statistic/export"));
        Assert.All(sipuni.Requests.Where(r => r.Path == "/api/statistic/export"), r => Assert.Matches("&hash=[0-9a-f]{32}$", r.Body));
    }

    [Fact]
    public async Task ReadAsync_WindowInsideADay_OnlyCallsThatStartedInIt()
    {
        var early = new HistoryCall("1.1", "inbound", "+79031234567", "101", "74951234567", Dec3.AddHours(8), null, Dec3.AddHours(8).AddSeconds(20), "missed", null, null);
        await AddAsync(early, early with { CallId = "1.2", StartedAt = Dec3.AddHours(12), EndedAt = Dec3.AddHours(12).AddSeconds(20) });

        var pages = await ReadAsync(Dec3.AddHours(11), Dec3.AddHours(13));

        var page = Assert.IsType<HistoryPage.Rows>(Assert.Single(pages));
        Assert.Equal("1.2", Assert.Single(page.Calls).CallKey);
        Assert.Equal(Outcomes.Missed, page.Calls[0].Facts.Outcome);
    }

    [Fact]
    public async Task ReadAsync_WrongSecret_RefusedAndUnavailable()
    {
        var error = await Assert.ThrowsAsync<HistoryUnavailableException>(() => ReadAsync(Dec3, Dec3.AddHours(1), Account("0.wrong")));

        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.Contains("Неверный hash", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error", "HTTP 500")]
    [InlineData("html", "HTML page")]
    [InlineData("json", "Слишком много запросов")]
    [InlineData("slow", "in time")]
    public async Task ReadAsync_ExportFailing_UnavailableNamingTheCause(string mode, string cause)
    {
        await FaultAsync(mode, seconds: 5);

        var error = await Assert.ThrowsAsync<HistoryUnavailableException>(() => ReadAsync(Dec3, Dec3.AddHours(1)));

        Assert.Contains(cause, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_AnswerThatIsNoCsv_GarbagePageKeepingTheAnswer()
    {
        await FaultAsync("garbage");

        var page = Assert.IsType<HistoryPage.Garbage>(Assert.Single(await ReadAsync(Dec3, Dec3.AddHours(1))));

        Assert.Equal("Statistics are being prepared, try later\n", System.Text.Encoding.UTF8.GetString(page.Answer.Body));
        Assert.Contains("\"Тип\"", page.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmptyAnswer_ADayWithoutCalls()
    {
        await FaultAsync("empty");

        var page = Assert.IsType<HistoryPage.Rows>(Assert.Single(await ReadAsync(Dec3, Dec3.AddHours(1))));

        Assert.Empty(page.Calls);
    }

    [Fact]
    public async Task ReadAsync_Unreachable_Unavailable()
    {
        var account = Account() with { Settings = new Dictionary<string, string>(Account().Settings) { ["Sipuni:ApiUrl"] = "http://127.0.0.1:9/api" } };

        var error = await Assert.ThrowsAsync<HistoryUnavailableException>(() => ReadAsync(Dec3, Dec3.AddHours(1), account));

        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
    }
}
