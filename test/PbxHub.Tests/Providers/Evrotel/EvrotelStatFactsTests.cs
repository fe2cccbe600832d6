using System.Runtime.CompilerServices;
using System.Text;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Providers.Evrotel;
using PbxHub.Reconciliation;

namespace PbxHub.Tests.Providers.Evrotel;

/// <summary>
/// Rows of Evrotel's statistics page read as history facts. Fixtures/stats_response.json is, byte for byte,
/// data/statistics/stats_response.json of github.com/wearesho-team/evrotel (MIT, commit 78e4063), the sample answer its
/// statistics client is tested against (tests/Statistics/ClientTest.php).
/// </summary>
public sealed class EvrotelStatFactsTests
{
    internal static readonly byte[] Sample = File.ReadAllBytes(Path.Combine(Here(), "Fixtures", "stats_response.json"));

    [Fact]
    public void Split_IntegrationsSampleAnswer_EachRowIsItsOwnBytesOfTheAnswer()
    {
        var (rows, problem) = EvrotelStatRows.Split(Sample);

        Assert.Null(problem);
        Assert.Equal(4, rows!.Count);
        var text = Encoding.UTF8.GetString(Sample);
        Assert.All(rows, row => Assert.Contains(Encoding.UTF8.GetString(row), text, StringComparison.Ordinal));
        Assert.StartsWith("{\n      \"channel\": \"Local/380971642002@out_vpbx_007-0000e57d;2\",", Encoding.UTF8.GetString(rows[0]), StringComparison.Ordinal);
        Assert.EndsWith("\"hash\": \"493be9b9b7b8105d50d6f19af3d6a175c1bc7aaf89fb92c352963ff3e97be856\"\n    }", Encoding.UTF8.GetString(rows[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_IntegrationsSampleRows_TheTwoCallsItsClientParsesAndNotTheRowsLackingNumberB()
    {
        var (rows, _) = EvrotelStatRows.Split(Sample);

        var facts = rows!.Select(r => EvrotelStatFacts.Read(EvrotelKit.Account, r)).ToList();

        // ClientTest::testParsing: two calls; the rows whose numberB is null or missing are dropped.
        Assert.Null(facts[2]);
        Assert.Null(facts[3]);
        var first = facts[0]!;
        Assert.Equal(Directions.Outbound, first.Direction);
        Assert.Equal(new Party("001", null, "001"), first.From);
        Assert.Equal(new Party("380971642002", "+380971642002", null), first.To);
        Assert.Null(first.Line);
        Assert.Equal(Outcomes.Failed, first.Outcome);
        Assert.Equal("FAILED", first.ProviderResult);
        Assert.Equal(0, first.TalkSeconds);
        Assert.Null(first.AnsweredAt);
        Assert.Null(first.AnsweredBy);

        // 09:03:03 "+00:00" is Kyiv's clock: the row's Asterisk uniqueid 1545721383.15474064 is 07:03:03 UTC.
        Assert.Equal(1_545_721_383, first.StartedAt.ToUnixTimeSeconds());
        Assert.Equal(first.StartedAt.AddSeconds(1), first.EndedAt); // duration 1
        Assert.Equal(EvrotelKit.RecordingBaseUrl + "/wav/007001/2018-12-25/1545721383.15474064-1196118992.wav", first.RecordingUrl);
        Assert.Equal(new Party("380994942964", "+380994942964", null), facts[1]!.To);
        Assert.Equal(EvrotelKit.RecordingBaseUrl + "/wav/101/2018-12-25/1545721383.15474065-1000000.wav", facts[1]!.RecordingUrl);
    }

    [Fact]
    public void Read_RowOfTheDocumentsCall_SaysWhatTheCallRecordOfItsEventsSays()
    {
        var start = EvrotelKit.Fixture("start.json");
        var call = EvrotelKit.Fold([start, EvrotelKit.EndFor(start)]);
        var row = """
            {"id": 1, "calldate": "2018-04-01T00:00:11+00:00", "duration": 120, "billsec": 78, "disposition": "ANSWERED", "direction": "i",
             "numberA": "0987858227", "numberB": "0679853913", "recfile": "/var/www/html/wav/9/2018-04-01/1522566805.1461640-1198614775.wav"}
            """;

        var facts = Read(row)!;

        Assert.Equal(
            (call.Direction, call.From, call.To, call.Line, call.StartedAt, call.AnsweredAt, call.EndedAt!.Value, call.Outcome!, call.TalkSeconds, call.ProviderResult, call.RecordingUrl),
            (facts.Direction, facts.From, facts.To, facts.Line, facts.StartedAt, facts.AnsweredAt, facts.EndedAt, facts.Outcome, facts.TalkSeconds, facts.ProviderResult, facts.RecordingUrl));
    }

    [Theory]
    [InlineData("ANSWERED", "i", 78, "answered")]
    [InlineData("ANSWERED", "o", 0, "answered")]
    [InlineData("answered", "o", 5, "answered")]
    [InlineData("NO ANSWER", "i", 0, "missed")]
    [InlineData("BUSY", "i", 0, "missed")]
    [InlineData("NO ANSWER", "o", 0, "no_answer")]
    [InlineData("BUSY", "o", 0, "busy")]
    [InlineData("CONGESTION", "o", 0, "congestion")]
    [InlineData("FAILED", "o", 0, "failed")]
    [InlineData("CHANUNAVAIL", "o", 0, "unknown")]
    public void Read_DispositionAndDirection_TheEventsOutcome(string disposition, string direction, int billsec, string outcome)
    {
        var facts = Read(Row("2018-12-25 09:03:03", direction, disposition, billsec, duration: billsec + 10))!;

        Assert.Equal((outcome, disposition.ToUpperInvariant(), billsec), (facts.Outcome, facts.ProviderResult, facts.TalkSeconds));
        Assert.Equal(facts.StartedAt.AddSeconds(billsec + 10), facts.EndedAt);
        Assert.Equal(outcome == "answered" ? facts.EndedAt.AddSeconds(-billsec) : null, facts.AnsweredAt);
        Assert.Equal(direction == "i" ? "inbound" : "outbound", facts.Direction);
    }

    [Theory]
    [InlineData("2018-12-25T09:03:03+00:00", "Europe/Kyiv", "2018-12-25T07:03:03Z")]
    [InlineData("2018-12-25 09:03:03", "Europe/Kyiv", "2018-12-25T07:03:03Z")]
    [InlineData("2018-07-01T09:03:03Z", "Europe/Kyiv", "2018-07-01T06:03:03Z")]
    [InlineData("2018-07-01T09:03:03+00:00", "Europe/Moscow", "2018-07-01T06:03:03Z")]
    [InlineData("2018-12-25T09:03:03+00:00", "UTC", "2018-12-25T09:03:03Z")]
    [InlineData("2018-12-25T09:03:03+02:00", "Europe/Moscow", "2018-12-25T07:03:03Z")]
    public void Read_CallDate_WallClockOfTheAccountsZoneUnlessARealOffset(string calldate, string zone, string utc)
    {
        var account = EvrotelKit.Account with { TimeZone = zone };

        Assert.Equal(EvrotelKit.Utc(utc), Read(Row(calldate), account)!.StartedAt);
    }

    [Theory]
    [InlineData("/var/www/html/wav/9/2018-04-01/a.wav", EvrotelKit.RecordingBaseUrl, EvrotelKit.RecordingBaseUrl + "/wav/9/2018-04-01/a.wav")]
    [InlineData("/wav/9/2018-04-01/a.wav", EvrotelKit.RecordingBaseUrl + "/", EvrotelKit.RecordingBaseUrl + "/wav/9/2018-04-01/a.wav")]
    [InlineData("https://m01.sipiko.net/html/wav/9/a.wav", EvrotelKit.RecordingBaseUrl, "https://m01.sipiko.net/html/wav/9/a.wav")]
    [InlineData("/var/www/html/wav/9/a.wav", null, "/wav/9/a.wav")]
    [InlineData(null, EvrotelKit.RecordingBaseUrl, null)]
    public void Read_Recfile_ResolvedLikeTheEventsRecording(string? recfile, string? baseUrl, string? url)
    {
        var settings = new Dictionary<string, string>(EvrotelKit.Account.Settings);
        settings.Remove(EvrotelAdapter.RecordingBaseUrlSetting);
        if (baseUrl is not null)
        {
            settings[EvrotelAdapter.RecordingBaseUrlSetting] = baseUrl;
        }

        var facts = Read(Row("2018-12-25 09:03:03", recfile: recfile), EvrotelKit.Account with { Settings = settings })!;

        Assert.Equal(url, facts.RecordingUrl);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{\"calldate\": \"yesterday\", \"billsec\": 0, \"disposition\": \"FAILED\", \"direction\": \"o\", \"numberA\": \"001\", \"numberB\": \"0671234567\"}")]
    [InlineData("{\"calldate\": \"2018-12-25 09:03:03\", \"billsec\": \"-3\", \"disposition\": \"FAILED\", \"direction\": \"o\", \"numberA\": \"001\", \"numberB\": \"0671234567\"}")]
    [InlineData("{\"calldate\": \"2018-12-25 09:03:03\", \"billsec\": 0, \"direction\": \"o\", \"numberA\": \"001\", \"numberB\": \"0671234567\"}")]
    public void Read_RowThatIsNoCall_Null(string row) => Assert.Null(Read(row));

    [Theory]
    [InlineData("<html>Fatal error</html>", "not JSON")]
    [InlineData("[]", "\"calls\"")]
    [InlineData("{\"error\": \"billcode\"}", "\"calls\"")]
    [InlineData("{\"calls\": 5}", "Number")]
    [InlineData("{\"calls\": [1]}", "not an object")]
    public void Split_AnswerNotThePagesShape_Problem(string answer, string problem)
    {
        var (rows, reason) = EvrotelStatRows.Split(Encoding.UTF8.GetBytes(answer));

        Assert.Null(rows);
        Assert.Contains(problem, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_AnswerWithByteOrderMark_RowsAfterIt()
    {
        var (rows, problem) = EvrotelStatRows.Split([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"calls\": [{\"id\": 1}]}")]);

        Assert.Null(problem);
        Assert.Equal("{\"id\": 1}", Encoding.UTF8.GetString(Assert.Single(rows!)));
    }

    [Fact]
    public void Split_CallsWrittenAsAnObjectByPhp_ItsValuesAreTheRows()
    {
        var (rows, _) = EvrotelStatRows.Split(Encoding.UTF8.GetBytes("{\"calls\": {\"0\": {\"id\": 1}, \"2\": {\"id\": 3}}}"));

        Assert.Equal(["{\"id\": 1}", "{\"id\": 3}"], rows!.Select(Encoding.UTF8.GetString));
    }

    internal static string Row(
        string calldate, string direction = "o", string disposition = "ANSWERED", int billsec = 12, int duration = 20, string? recfile = "/var/www/html/wav/9/x.wav") =>
        $$"""{"id": 7, "calldate": "{{calldate}}", "duration": {{duration}}, "billsec": "{{billsec}}", "disposition": "{{disposition}}", "direction": "{{direction}}", "numberA": "0987858227", "numberB": "0679853913", "recfile": {{(recfile is null ? "null" : $"\"{recfile}\"")}}}""";

    private static HistoryFacts? Read(string row, Account? account = null) =>
        EvrotelStatFacts.Read(account ?? EvrotelKit.Account, Encoding.UTF8.GetBytes(row));

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
