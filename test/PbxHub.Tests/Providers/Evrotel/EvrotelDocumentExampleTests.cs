using PbxHub.Calls;
using PbxHub.Providers;

namespace PbxHub.Tests.Providers.Evrotel;

/// <summary>The document's own examples (docs/providers/evrotel.md), for an account in Kyiv, as call records.</summary>
public sealed class EvrotelDocumentExampleTests
{
    private static readonly Party Client = new("0987858227", "+380987858227", null);
    private static readonly Party CompanyNumber = new("0679853913", "+380679853913", null);
    private const string Recording = EvrotelKit.RecordingBaseUrl + "/wav/9/2018-04-01/1522566805.1461640-1198614775.wav";

    [Fact]
    public void Parse_StartExample_InboundCallSeenAtKyivSummerTime()
    {
        var parsed = EvrotelKit.Parsed(EvrotelKit.Fixture("start.json"));

        // 2018-04-01 00:00:11 in Kyiv is a week after the change to summer time (UTC+3).
        Assert.Equal(
            [new CallSeen(EvrotelKit.Utc("2018-03-31T21:00:11Z"), Directions.Inbound, Client, CompanyNumber, CompanyNumber, 0)],
            parsed.Signals);
        Assert.Matches("^[1-9][0-9]{14}$", parsed.CallKey);
    }

    [Fact]
    public void Fold_StartExampleAlone_RingingCallWithItsParties()
    {
        var call = EvrotelKit.Fold([EvrotelKit.Fixture("start.json")]);

        Assert.Equal(EvrotelKit.CallIdOf(EvrotelKit.Fixture("start.json")), call.ProviderCallId);
        Assert.Equal(("evrotel", "kyiv", "inbound"), (call.Provider, call.Account, call.Direction));
        Assert.Equal((Client, CompanyNumber, CompanyNumber), (call.From, call.To, call.Line));
        Assert.Equal("ringing", call.State);
        Assert.Null(call.Outcome);
        Assert.Equal(EvrotelKit.Utc("2018-03-31T21:00:11Z"), call.StartedAt);
        Assert.Null(call.AnsweredAt);
        Assert.Null(call.EndedAt);
        Assert.False(call.Incomplete);
    }

    [Fact]
    public void Fold_StartExampleAndEndExampleWithItsCallId_OneAnsweredCall()
    {
        var start = EvrotelKit.Fixture("start.json");
        var call = EvrotelKit.Fold([start, EvrotelKit.EndFor(start)]);

        Assert.Equal(EvrotelKit.CallIdOf(start), call.ProviderCallId);
        Assert.Equal(StableIds.CallId("kyiv", call.ProviderCallId), call.Id);
        Assert.Equal("inbound", call.Direction);
        Assert.Equal(Client, call.From);
        Assert.Equal(CompanyNumber, call.To);
        Assert.Equal(CompanyNumber, call.Line);
        Assert.Equal("ended", call.State);
        Assert.Equal("answered", call.Outcome);
        Assert.Equal("ANSWERED", call.ProviderResult);
        Assert.Equal(EvrotelKit.Utc("2018-03-31T21:00:11Z"), call.StartedAt);
        Assert.Equal(EvrotelKit.Utc("2018-03-31T21:00:53Z"), call.AnsweredAt); // billsec 78 before the end
        Assert.Equal(EvrotelKit.Utc("2018-03-31T21:02:11Z"), call.EndedAt);
        Assert.Equal(42, call.WaitSeconds);
        Assert.Equal(78, call.TalkSeconds);
        Assert.Equal(Recording, call.RecordingUrl);
        Assert.Null(call.AnsweredBy);
        Assert.Empty(call.Legs);
        Assert.Empty(call.Transfers);
        Assert.False(call.Incomplete);
    }

    [Fact]
    public void Fold_EndExampleAlone_CallIdNeverIssued_EndedCallFlaggedIncomplete()
    {
        var call = EvrotelKit.Fold([EvrotelKit.Fixture("end.json")]);

        Assert.Equal("123456789", call.ProviderCallId);
        Assert.True(call.Incomplete);
        Assert.Equal("inbound", call.Direction);
        Assert.Null(call.From);
        Assert.Null(call.To);
        Assert.Equal(("ended", "answered", "ANSWERED"), (call.State, call.Outcome, call.ProviderResult));
        Assert.Equal(EvrotelKit.Utc("2018-03-31T21:02:11Z"), call.EndedAt);
        Assert.Equal(EvrotelKit.Utc("2018-03-31T21:00:53Z"), call.AnsweredAt);
        Assert.Equal(78, call.TalkSeconds);
        Assert.Equal(Recording, call.RecordingUrl);
    }

    [Fact]
    public void Fold_PhpSenderSampleAsHttpBuildQueryForm_CallFromTheEndsOwnFields()
    {
        // The sample's end carries the start's calldate (00:00:11) and the numbers; "....." filled with the end example's fields.
        var call = EvrotelKit.Fold([EvrotelKit.Fixture("php-sender-end.form")]);

        Assert.Equal("123456789", call.ProviderCallId);
        Assert.True(call.Incomplete);
        Assert.Equal("inbound", call.Direction);
        Assert.Equal((Client, CompanyNumber, CompanyNumber), (call.From, call.To, call.Line));
        Assert.Equal(("ended", "answered", "ANSWERED"), (call.State, call.Outcome, call.ProviderResult));
        Assert.Equal(EvrotelKit.Utc("2018-03-31T21:00:11Z"), call.EndedAt);
        Assert.Equal(EvrotelKit.Utc("2018-03-31T20:58:53Z"), call.AnsweredAt);
        Assert.Equal(call.AnsweredAt, call.StartedAt);
        Assert.Equal(78, call.TalkSeconds);
        Assert.Equal(Recording, call.RecordingUrl);
    }

    [Fact]
    public void Parse_PhpFormAndJsonEndExampleWithTheSameFields_SameSignalsAndDedupeKey()
    {
        var json = EvrotelKit.Parsed(EvrotelKit.Fixture("end.json"));
        var form = EvrotelKit.Parsed("callstatus=end&calldate=2018-04-01+00%3A02%3A11&callid=123456789&direction=i&billsec=78&disposition=ANSWERED&recfile=%2Fwav%2F9%2F2018-04-01%2F1522566805.1461640-1198614775.wav");

        EvrotelKit.AssertSameEvent(json, form);
        Assert.Contains(new CallEnded(EvrotelKit.Utc("2018-03-31T21:02:11Z"), "answered", "ANSWERED", 78), json.Signals);
        Assert.Contains(new StartRequired(EvrotelKit.Utc("2018-03-31T21:02:11Z")), json.Signals);
    }

    [Fact]
    public void Parse_StartAsJsonOrAsForm_SameCallIdAndDedupeKey()
    {
        var json = EvrotelKit.Parsed(EvrotelKit.Fixture("start.json"));
        var form = EvrotelKit.Parsed(EvrotelKit.Fixture("start.form"));
        var formLabelledJson = (HookParse.Parsed)EvrotelKit.Adapter.Parse(EvrotelKit.Account, EvrotelKit.Post(EvrotelKit.Fixture("start.form"), "application/json"));
        var jsonLabelledForm = (HookParse.Parsed)EvrotelKit.Adapter.Parse(EvrotelKit.Account, EvrotelKit.Post(EvrotelKit.Fixture("start.json"), "application/x-www-form-urlencoded"));

        EvrotelKit.AssertSameEvent(json, form);
        EvrotelKit.AssertSameEvent(json, formLabelledJson);
        EvrotelKit.AssertSameEvent(json, jsonLabelledForm);
        Assert.Equal(EvrotelKit.CallIdOf(EvrotelKit.Fixture("start.json")), EvrotelKit.CallIdOf(EvrotelKit.Fixture("start.form")));
    }
}
