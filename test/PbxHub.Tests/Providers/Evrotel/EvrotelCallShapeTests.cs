using PbxHub.Calls;
using PbxHub.Providers.Evrotel;

namespace PbxHub.Tests.Providers.Evrotel;

/// <summary>Directions, parties, outcomes and recording links of Evrotel calls other than the document's example.</summary>
public sealed class EvrotelCallShapeTests
{
    private static string Start(string a, string b, string direction, string at = "2018-11-05 10:00:00") =>
        $$"""{"callstatus": "start", "date": "{{at}}", "numberA": "{{a}}", "numberB": "{{b}}", "direction": "{{direction}}"}""";

    private static string End(string callId, string disposition, int billsec, string at = "2018-11-05 10:01:00", string extra = "") =>
        $"callstatus=end&date={Uri.EscapeDataString(at)}&callid={callId}&billsec={billsec}&disposition={Uri.EscapeDataString(disposition)}{extra}";

    private static CallRecord Call(string start, string disposition, int billsec, string extra = "") =>
        EvrotelKit.Fold([start, End(EvrotelKit.CallIdOf(start), disposition, billsec, extra: extra)]);

    [Fact]
    public void Fold_OutboundFromExtension_EmployeeCallsClientNoLine()
    {
        var call = Call(Start("101", "0987858227", "o"), "BUSY", 0);

        Assert.Equal("outbound", call.Direction);
        Assert.Equal(new Party("101", null, "101"), call.From);
        Assert.Equal(new Party("0987858227", "+380987858227", null), call.To);
        Assert.Null(call.Line);
        Assert.Equal(("ended", "busy", "BUSY"), (call.State, call.Outcome, call.ProviderResult));
        Assert.Null(call.AnsweredAt);
        Assert.Equal(EvrotelKit.Utc("2018-11-05T08:00:00Z"), call.StartedAt); // winter time: UTC+2
    }

    [Fact]
    public void Fold_OutboundFromCompanyNumber_ThatNumberIsTheLine()
    {
        var call = Call(Start("380679853913", "380987858227", "o"), "ANSWERED", 30);

        Assert.Equal(new Party("380679853913", "+380679853913", null), call.Line);
        Assert.Equal(call.Line, call.From);
        Assert.Equal(("answered", 30, 30), (call.Outcome, call.WaitSeconds, call.TalkSeconds));
    }

    [Theory]
    [InlineData("NO ANSWER", "i", "missed")]
    [InlineData("BUSY", "i", "missed")]
    [InlineData("NO ANSWER", "o", "no_answer")]
    [InlineData("CONGESTION", "o", "congestion")]
    [InlineData("FAILED", "o", "failed")]
    [InlineData("CHANUNAVAIL", "o", "unknown")]
    public void Fold_UnansweredEnd_OutcomeAndRawDispositionKept(string disposition, string direction, string outcome)
    {
        var call = Call(Start("0987858227", "0679853913", direction), disposition, 0);

        Assert.Equal(outcome, call.Outcome);
        Assert.Equal(disposition, call.ProviderResult);
        Assert.Null(call.AnsweredAt);
        Assert.Equal(0, call.TalkSeconds);
    }

    [Fact]
    public void Fold_TwoExtensions_InternalCall()
    {
        var call = EvrotelKit.Fold([Start("101", "102", "o")]);
        Assert.Equal("internal", call.Direction);
        Assert.Equal(("101", "102"), (call.From?.Extension, call.To?.Extension));
    }

    [Fact]
    public void Fold_EndWithoutDispositionOrRecfile_StillEndsTheCall()
    {
        var start = Start("0987858227", "0679853913", "i");
        var call = EvrotelKit.Fold([start, $"callstatus=end&date=2018-11-05+10%3A01%3A00&callid={EvrotelKit.CallIdOf(start)}"]);

        Assert.Equal(("ended", "missed"), (call.State, call.Outcome));
        Assert.Null(call.ProviderResult);
        Assert.Null(call.RecordingUrl);
        Assert.False(call.Incomplete);
    }

    [Theory]
    [InlineData("/wav/9/a.wav", "https://rec.example/base", "https://rec.example/base/wav/9/a.wav")]
    [InlineData("wav/9/a.wav", "https://rec.example/base/", "https://rec.example/base/wav/9/a.wav")]
    [InlineData("https://other.example/wav/9/a.wav", "https://rec.example/base", "https://other.example/wav/9/a.wav")]
    [InlineData("/wav/9/a.wav", null, "/wav/9/a.wav")]
    public void RecordingUrl_Recfile_ResolvedAgainstTheAccountsBaseUrl(string recfile, string? baseUrl, string expected)
    {
        var settings = new Dictionary<string, string> { [EvrotelAdapter.TokenSetting] = EvrotelKit.Token };
        if (baseUrl is not null)
        {
            settings[EvrotelAdapter.RecordingBaseUrlSetting] = baseUrl;
        }

        Assert.Equal(expected, EvrotelSignals.RecordingUrl(EvrotelKit.Account with { Settings = settings }, recfile));
    }

    [Fact]
    public void Fold_RecfileUrlEncodedInTheForm_Decoded()
    {
        var call = Call(Start("0987858227", "0679853913", "i"), "ANSWERED", 5, "&recfile=%2Fwav%2F9%2F2018-11-05%2F1.2-3.wav");
        Assert.Equal(EvrotelKit.RecordingBaseUrl + "/wav/9/2018-11-05/1.2-3.wav", call.RecordingUrl);
    }
}
