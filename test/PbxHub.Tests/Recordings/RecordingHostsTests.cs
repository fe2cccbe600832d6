using PbxHub.Accounts;
using PbxHub.Recordings;

namespace PbxHub.Tests.Recordings;

public sealed class RecordingHostsTests
{
    private static Account Of(string provider, params (string Key, string Value)[] settings) =>
        new("a", provider, "s", "Europe/Moscow", "RU", settings.ToDictionary(s => s.Key, s => s.Value), AccountSources.Configuration);

    [Theory]
    [InlineData("https://sipuni.com/api/crm/record?id=1&hash=2", true)]
    [InlineData("https://cdn.sipuni.com/r/1.wav", true)]
    [InlineData("https://evil-sipuni.com/r/1.wav", false)]
    [InlineData("https://sipuni.com:8443/r/1.wav", false)]
    [InlineData("ftp://myhost.info/account/frecords/1.wav", false)]
    [InlineData("file:///etc/passwd", false)]
    public void Problem_SipuniDefaults_OnlyItsOwnHostsOverHttp(string link, bool allowed) =>
        Assert.Equal(allowed, RecordingHosts.Problem(Of("sipuni"), new Uri(link)) is null);

    [Fact]
    public void Problem_EvrotelWithoutSetting_TheRecordingBaseUrlsHost()
    {
        var account = Of("evrotel", ("Evrotel:RecordingBaseUrl", "https://rec.evrotel.example:8443/files/"));

        Assert.Null(RecordingHosts.Problem(account, new Uri("https://rec.evrotel.example:8443/files/2024/1.wav")));
        Assert.NotNull(RecordingHosts.Problem(account, new Uri("https://rec.evrotel.example/files/2024/1.wav")));
    }

    [Fact]
    public void Problem_ConfiguredHosts_ReplaceTheDefaults()
    {
        var account = Of("sipuni", (RecordingHosts.Setting, "records.example.com, 10.1.2.3:8080"));

        Assert.Null(RecordingHosts.Problem(account, new Uri("http://10.1.2.3:8080/a.wav")));
        Assert.Null(RecordingHosts.Problem(account, new Uri("https://records.example.com/a.wav")));
        Assert.Null(RecordingHosts.Problem(account, new Uri("ftp://records.example.com/frecords/a.wav")));
        Assert.Contains("not one of the account's recording hosts", RecordingHosts.Problem(account, new Uri("https://sipuni.com/a.wav")), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_HookTypeWithoutSetting_AsksForTheSetting() =>
        Assert.Contains("set its Recordings:Hosts", RecordingHosts.Problem(Of("hooktype"), new Uri("https://pbx.example.com/a.wav")), StringComparison.Ordinal);
}
