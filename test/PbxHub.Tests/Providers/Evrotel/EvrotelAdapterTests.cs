using Microsoft.AspNetCore.Http;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Providers.Evrotel;

namespace PbxHub.Tests.Providers.Evrotel;

public sealed class EvrotelAdapterTests
{
    private const string Start = """{"callstatus": "start", "calldate": "2018-04-01 00:00:11", "numberA": "0987858227", "numberB": "0679853913", "direction": "i"}""";

    public static TheoryData<string, string> BadBodies => new()
    {
        { "", "empty body: no Evrotel call event fields" },
        { "  \n", "empty body: no Evrotel call event fields" },
        { """{"callstatus": "ringing", "date": "2018-04-01 00:00:11"}""", "unknown callstatus 'ringing' (expected start or end)" },
        { "callstatus=hold&date=2018-04-01+00%3A00%3A11", "unknown callstatus 'hold' (expected start or end)" },
        { """{"calldate": "2018-04-01 00:00:11", "numberA": "0987858227"}""", "callstatus is missing (expected start or end)" },
        { """{"callstatus": "end", "callid": "1", "billsec": "seventy"}""", "billsec 'seventy' is not a whole number of seconds" },
        { "callstatus=end&callid=1&billsec=-5", "billsec '-5' is not a whole number of seconds" },
        { """{"callstatus": "end", "callid": "1", "billsec": 7.5}""", "billsec '7.5' is not a whole number of seconds" },
        { """{"callstatus": "start", "date": "01.04.2018 00:00"}""", "date '01.04.2018 00:00' is not a date and time such as 2018-04-01 00:00:11" },
        { "callstatus=end&calldate=yesterday&callid=1", "calldate 'yesterday' is not a date and time such as 2018-04-01 00:00:11" },
        { "[1, 2]", "the JSON body is not an object of Evrotel fields" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void Parse_BadBody_FailsWithReason(string body, string reason) =>
        Assert.Equal(new HookParse.Failed(reason), EvrotelKit.Parse(body));

    [Fact]
    public void Parse_TruncatedJson_FailsSayingItIsNotJson()
    {
        var failed = Assert.IsType<HookParse.Failed>(EvrotelKit.Parse("""{"callstatus": "start", """));
        Assert.StartsWith("the body looks like JSON but is not valid JSON", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DateOrCalldate_SameTimeAndCallId()
    {
        var withCalldate = EvrotelKit.Parsed(Start);
        var withDate = EvrotelKit.Parsed(Start.Replace("calldate", "date", StringComparison.Ordinal));

        EvrotelKit.AssertSameEvent(withCalldate, withDate);
        Assert.Equal(EvrotelKit.Utc("2018-03-31T21:00:11Z"), withDate.Signals[0].At);
    }

    [Fact]
    public void Parse_BillsecAsStringOrAsInteger_SameEvent()
    {
        const string End = """{"callstatus": "end", "date": "2018-04-01 00:02:11", "callid": "5", "billsec": "78", "disposition": "ANSWERED"}""";
        var asString = EvrotelKit.Parsed(End);
        var asInteger = EvrotelKit.Parsed(End.Replace("\"78\"", "78", StringComparison.Ordinal));

        EvrotelKit.AssertSameEvent(asString, asInteger);
        Assert.Equal(78, Assert.Single(asInteger.Signals.OfType<CallEnded>()).TalkSeconds);
    }

    [Fact]
    public void Parse_StartWithNullEndFields_TheyAreIgnored()
    {
        var withNulls = EvrotelKit.Parsed(Start.Replace("}", """, "billsec": null, "disposition": null, "recfile": null}""", StringComparison.Ordinal));
        EvrotelKit.AssertSameEvent(EvrotelKit.Parsed(Start), withNulls);
    }

    [Fact]
    public void CallId_Start_FifteenDigitsBelowTwoToThe53AndStablePerAccountAndFields()
    {
        var id = EvrotelKit.CallIdOf(Start);

        Assert.Matches("^[1-9][0-9]{14}$", id);
        Assert.True(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) < 1L << 53);
        Assert.Equal(id, EvrotelKit.CallIdOf(Start));
        Assert.NotEqual(id, EvrotelKit.CallIdOf(Start.Replace("00:00:11", "00:00:12", StringComparison.Ordinal)));
        var otherAccount = EvrotelKit.Account with { Id = "odesa" };
        Assert.NotEqual(id, EvrotelKit.Parsed(Start, otherAccount).CallKey);
    }

    [Fact]
    public void Parse_EndWithoutCallId_KeyedByItsOwnFieldsAndStillACall()
    {
        const string End = "callstatus=end&date=2018-04-01+00%3A02%3A11&numberA=380987858227&numberB=0679853913&direction=i&billsec=0&disposition=NO+ANSWER";
        var first = EvrotelKit.Parsed(End);
        var retried = EvrotelKit.Parsed(string.Join('&', End.Split('&').Reverse()));
        var call = EvrotelKit.Fold([End]);

        EvrotelKit.AssertSameEvent(first, retried);
        Assert.StartsWith("end-", first.CallKey, StringComparison.Ordinal);
        Assert.True(call.Incomplete);
        Assert.Equal(("ended", "missed", "NO ANSWER"), (call.State, call.Outcome, call.ProviderResult));
        Assert.Equal(new Party("380987858227", "+380987858227", null), call.From);
        Assert.Equal(0, call.TalkSeconds);
    }

    [Fact]
    public void Replies_AreWhatEvrotelExpects()
    {
        var adapter = EvrotelKit.Adapter;
        var start = adapter.Accepted(EvrotelKit.Account, EvrotelKit.Parsed(Start), new StoredRaw(7, Duplicate: true));
        var end = adapter.Accepted(EvrotelKit.Account, EvrotelKit.Parsed(EvrotelKit.Fixture("end.json")), new StoredRaw(8, false));

        Assert.Equal(new HookReply(200, "text/plain; charset=utf-8", EvrotelKit.CallIdOf(Start)), start);
        Assert.Equal(new HookReply(200, "text/plain; charset=utf-8", "OK"), end);
        Assert.Equal(new HookReply(400, "text/plain; charset=utf-8", "billsec 'x' is not a whole number of seconds"), adapter.Rejected("billsec 'x' is not a whole number of seconds"));
        Assert.Equal(new HookReply(403, "text/plain; charset=utf-8", "Access denied"), adapter.Denied());
    }

    [Theory]
    [InlineData(EvrotelKit.Token, true)]
    [InlineData(" " + EvrotelKit.Token + " ", true)]
    [InlineData("Bearer " + EvrotelKit.Token, true)]
    [InlineData("G7bng65jYk8GF295", false)]
    [InlineData("g7bng65jyk8gf294", false)]
    [InlineData("token " + EvrotelKit.Token + " and more", false)] // the document's strpos would take it; an exact match does not
    [InlineData("Basic " + EvrotelKit.Token, false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Authenticate_AuthorizationHeader_OnlyTheTokenPasses(string? header, bool expected)
    {
        var headers = new HeaderDictionary();
        if (header is not null)
        {
            headers["Authorization"] = header;
        }

        Assert.Equal(expected, EvrotelKit.Adapter.Authenticate(EvrotelKit.Account, null, headers));
    }

    [Fact]
    public void Authenticate_AccountWithoutToken_RefusesEvenAnEmptyHeader()
    {
        var account = EvrotelKit.Account with { Settings = new Dictionary<string, string>() };
        Assert.False(EvrotelKit.Adapter.Authenticate(account, null, new HeaderDictionary { ["Authorization"] = "" }));
        Assert.False(EvrotelKit.Adapter.Authenticate(account, null, new HeaderDictionary { ["Authorization"] = "Bearer " }));
    }

    [Fact]
    public void HookPath_NoSecretInIt()
    {
        Assert.Equal("/hooks/kyiv", EvrotelKit.Adapter.HookPath(EvrotelKit.Account));
        Assert.False(EvrotelKit.Adapter.SecretInPath);
        Assert.Equal("evrotel", EvrotelKit.Adapter.Name);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Evrotel:Token", "", "Evrotel:Token is required" },
        { "Evrotel:RecordingBaseUrl", "records.evrotel.example", "Evrotel:RecordingBaseUrl 'records.evrotel.example' must be an absolute http or https URL" },
        { "Evrotel:RecordingBaseUrl", "ftp://records.example/", "Evrotel:RecordingBaseUrl 'ftp://records.example/' must be an absolute http or https URL" },
        { "Evrotel:BaseUrl", "/webapp", "Evrotel:BaseUrl '/webapp' must be an absolute http or https URL" },
        { "Evrotel:BillCode", " ", "Evrotel:BillCode must not be empty when it is given" },
        { "Evrotel:StatUrl", "callme.sipiko.net", "Evrotel:StatUrl 'callme.sipiko.net' must be an absolute http or https URL" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void SettingsProblems_BadSetting_Named(string key, string value, string problem)
    {
        var settings = new Dictionary<string, string>(EvrotelKit.Account.Settings) { [key] = value };
        var problems = EvrotelKit.Adapter.SettingsProblems(EvrotelKit.Account with { Settings = settings }).ToList();
        Assert.StartsWith(problem, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsProblems_CompleteSettings_None()
    {
        var settings = new Dictionary<string, string>(EvrotelKit.Account.Settings)
        {
            ["Evrotel:BillCode"] = "20558",
            ["Evrotel:BaseUrl"] = "https://callme.sipiko.net/",
        };
        Assert.Empty(EvrotelKit.Adapter.SettingsProblems(EvrotelKit.Account with { Settings = settings }));
        Assert.Empty(EvrotelKit.Adapter.SettingsProblems(EvrotelKit.Account with { Settings = new Dictionary<string, string> { ["evrotel:token"] = "t" } }));
        Assert.NotEmpty(EvrotelKit.Adapter.SettingsProblems(EvrotelKit.Account with { Settings = new Dictionary<string, string>() }));
    }

    [Fact]
    public void AccountDefaults_Evrotel_CountryIsUkraine() =>
        Assert.Equal("UA", AccountDefaults.CountryFor(new ProviderRegistry([EvrotelKit.Adapter]), "evrotel"));

    [Fact]
    public void AccountDefaults_Evrotel_TimeZoneIsKyiv() =>
        Assert.Equal("Europe/Kyiv", AccountDefaults.TimeZoneFor(new ProviderRegistry([EvrotelKit.Adapter]), "evrotel"));
}
