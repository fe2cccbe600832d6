using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PbxHub.Providers;
using PbxHub.Providers.Evrotel;

namespace PbxHub.Tests.Providers.Evrotel;

/// <summary>Which statistics pages of Evrotel the history reader asks for, and what it needs to ask.</summary>
public sealed class EvrotelStatPagesTests
{
    private static readonly TimeZoneInfo Kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

    private static readonly EvrotelHistoryReader Reader = new(
        new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
        TimeProvider.System, NullLogger<EvrotelHistoryReader>.Instance);

    [Fact]
    public void SettingsProblems_NoStatUrlNorBillCode_BothNamed()
    {
        var problems = Reader.SettingsProblems(EvrotelKit.Account).ToList();

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("Evrotel:StatUrl is not set", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Evrotel:BillCode is not set", problems[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("callme.sipiko.net/statusers")]
    [InlineData("ftp://callme.sipiko.net/")]
    public void SettingsProblems_StatUrlNoHttpUrl_Named(string statUrl)
    {
        var problems = Reader.SettingsProblems(With(statUrl, "20558")).ToList();

        Assert.Equal($"Evrotel:StatUrl '{statUrl}' must be an absolute http or https URL", Assert.Single(problems));
    }

    [Fact]
    public void SettingsProblems_StatUrlAndBillCode_None() =>
        Assert.Empty(Reader.SettingsProblems(With("https://callme.sipiko.net/", "20558")));

    [Theory]
    [InlineData("https://horatius.pro/", "https://horatius.pro/statusers/stat_6667.php?billcode=6667&start=2018-12-25")]
    [InlineData("https://horatius.pro", "https://horatius.pro/statusers/stat_6667.php?billcode=6667&start=2018-12-25")]
    [InlineData("https://stats.example/evrotel/stat_6667.php", "https://stats.example/evrotel/stat_6667.php?billcode=6667&start=2018-12-25")]
    [InlineData("https://stats.example/stat.php?lang=ru", "https://stats.example/stat.php?lang=ru&billcode=6667&start=2018-12-25")]
    public void PageUrl_StatUrl_TheDaysPageAsTheIntegrationAsksIt(string statUrl, string page) =>
        Assert.Equal(page, EvrotelStatPages.PageUrl(statUrl, "6667", new DateOnly(2018, 12, 25))!.AbsoluteUri);

    [Theory]
    [InlineData("2018-12-25T00:00:00", "2018-12-26T00:00:00", "2018-12-25")]
    [InlineData("2018-12-25T23:00:00", "2018-12-26T01:00:00", "2018-12-25,2018-12-26")]
    [InlineData("2026-03-29T00:00:00", "2026-03-30T00:00:00", "2026-03-29")]
    [InlineData("2018-12-25T10:00:00", "2018-12-25T10:00:00", "")]
    public void Days_Period_TheDaysOfKyivsClockItTouches(string since, string until, string days)
    {
        var asked = EvrotelStatPages.Days(Wall(since), Wall(until), Kyiv).Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(days, string.Join(",", asked));
    }

    private static PbxHub.Accounts.Account With(string statUrl, string billCode) => EvrotelKit.Account with
    {
        Settings = new Dictionary<string, string>(EvrotelKit.Account.Settings) { [EvrotelHistoryReader.StatUrlSetting] = statUrl, [EvrotelAdapter.BillCodeSetting] = billCode },
    };

    private static DateTimeOffset Wall(string text) =>
        LocalTimes.FromWallClock(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture), Kyiv);
}
