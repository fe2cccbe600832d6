using System.Text;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using static PbxHub.Tests.Providers.HookType.HookTypeHooks;

namespace PbxHub.Tests.Providers.HookType;

public sealed class HookTypeAdapterTests
{
    private const string Create = """{"SessionID": "s1", "HookType": "CreateIncCall", "StartTime": "2021-01-28 14:15:22", "CityNumber": "4950665310", "Caller": "9582412128", "Called": "4950665310"}""";

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"HookType": "CreateIncCall", "StartTime": "2021-01-28 14:15:22", "Caller": "9582412128"}""", "SessionID is missing" },
        { """{"SessionID": "", "HookType": "CreateIncCall", "StartTime": "2021-01-28 14:15:22"}""", "SessionID is missing" },
        { """{"SessionID": "s1", "StartTime": "2021-01-28 14:15:22"}""", "HookType is missing" },
        {
            """{"SessionID": "s1", "HookType": "HangUp", "StartTime": "2021-01-28 14:15:22"}""",
            "unknown HookType 'HangUp' (expected one of CreateIncCall, AttemptIncCallBegin, ChangeIncCall, AttemptIncCallEnd, EndIncCall, MissedIncCall, CreateOutCall, EndOutCall)"
        },
        { """{"SessionID": "s1", "HookType": "CreateIncCall", "StartTime": "28.01.2021 14:15"}""", "StartTime '28.01.2021 14:15' is not a time like 2019-02-26 23:46:52" },
        { """{"SessionID": "s1", "HookType": "EndIncCall", "EndTime": "2021-02-30 10:00:00"}""", "EndTime '2021-02-30 10:00:00' is not a time like 2019-02-26 23:46:52" },
        { """{"SessionID": "s1", "HookType": "ChangeIncCall", "StartDuration": 1611832261}""", "StartDuration '1611832261' is not a time like 2019-02-26 23:46:52" },
        {
            """{"SessionID": "s1", "HookType": "EndIncCall", "EndTime": "2021-01-28 18:27:19", "Duration": 26, "ResultCode": "999"}""",
            "ResultCode '999' is not in the spec's table (200, 304, 603, 603-S, 403, 404, 486, 484, 503, 480, 402, 423)"
        },
        {
            """{"SessionID": "s1", "HookType": "EndOutCall", "EndTime": "2021-01-28 18:27:19", "ResultCode": 487}""",
            "ResultCode '487' is not in the spec's table (200, 304, 603, 603-S, 403, 404, 486, 484, 503, 480, 402, 423)"
        },
        { """{"SessionID": "s1", "HookType": "EndIncCall", "EndTime": "2021-01-28 18:27:19", "Duration": "long"}""", "Duration 'long' is not a number of seconds" },
        { """{"SessionID": "s1", "HookType": "EndIncCall", "EndTime": "2021-01-28 18:27:19", "Duration": -5}""", "Duration '-5' is not a number of seconds" },
        { """{"SessionID": "s1", "HookType": "CreateIncCall", "Caller": "9582412128"}""", "CreateIncCall has no time: StartTime, StartDuration and EndTime are all missing" },
        { """{"SessionID": "s1", "HookType": "MissedIncCall", "Duration": 0, "ResultCode": "304"}""", "MissedIncCall has no time: StartTime, StartDuration and EndTime are all missing" },
        { "", "empty request: the body holds no JSON" },
        { " \r\n ", "empty request: the body holds no JSON" },
        { "[1, 2]", "the body is JSON but not an object (it is Array)" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Parse_BadRequest_FailsWithReason(string body, string reason) =>
        Assert.Equal(new HookParse.Failed(reason), Parse(body));

    [Theory]
    [InlineData("SessionID=s1&HookType=CreateIncCall&StartTime=2021-01-28+14%3A15%3A22")]
    [InlineData("<xml/>")]
    [InlineData("""{"SessionID": "s1", "HookType": "CreateIncCall",""")]
    public void Parse_BodyNotJson_FailsWithReason(string body) =>
        Assert.StartsWith("the body is not valid JSON: ", Assert.IsType<HookParse.Failed>(Parse(body)).Reason, StringComparison.Ordinal);

    [Fact]
    public void Parse_SameFieldsInOtherOrderSpacingOrEscaping_SameDedupeKey()
    {
        var first = Assert.IsType<HookParse.Parsed>(Parse(Create));
        var reordered = Assert.IsType<HookParse.Parsed>(Parse(
            "{\n  \"Called\":\"4950665310\",\"Caller\":\"9582412128\",\n\"CityNumber\" : \"4950665310\",  \"StartTime\":\"2021-01-28 14:15:22\",\"HookType\":\"CreateIncCall\",\"SessionID\":\"\\u0073\\u0031\"}\n"));
        var withBom = Assert.IsType<HookParse.Parsed>(Parse([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Create)]));

        Assert.Equal(first.DedupeKey, reordered.DedupeKey);
        Assert.Equal(first.DedupeKey, withBom.DedupeKey);
        Assert.Equal(first.Signals, reordered.Signals);
        Assert.Equal("s1", reordered.CallKey);
    }

    [Fact]
    public void Parse_DifferentValue_DifferentDedupeKey()
    {
        var first = Assert.IsType<HookParse.Parsed>(Parse(Create));
        var later = Assert.IsType<HookParse.Parsed>(Parse(Create.Replace("14:15:22", "14:15:23", StringComparison.Ordinal)));

        Assert.NotEqual(first.DedupeKey, later.DedupeKey);
    }

    [Theory]
    [InlineData("\"200\"", "26")]
    [InlineData("200", "\"26\"")]
    [InlineData("\"200\"", "\"26.0\"")]
    public void Parse_ResultCodeAndDurationAsNumberOrString_SameSignals(string resultCode, string duration)
    {
        var expected = Assert.IsType<HookParse.Parsed>(Parse(Example("EndIncCall"))).Signals;
        var body = $$"""{"SessionID": "4045859e-2dff-4d92-afba-ea57566a6e8b", "HookType": "EndIncCall", "EndTime": "2021-01-28 18:27:19", "CityNumber": "4950665310", "Caller": "9582412128", "Called": "0052002651", "Duration": {{duration}}, "ResultCode": {{resultCode}}}""";

        Assert.Equal(expected, Assert.IsType<HookParse.Parsed>(Parse(body)).Signals);
    }

    [Theory]
    [InlineData("200", "answered")]
    [InlineData("304", "no_answer")]
    [InlineData("603", "rejected")]
    [InlineData("603-S", "cancelled")]
    [InlineData("403", "failed")]
    [InlineData("404", "failed")]
    [InlineData("486", "busy")]
    [InlineData("484", "unavailable")]
    [InlineData("503", "unavailable")]
    [InlineData("480", "unavailable")]
    [InlineData("402", "failed")]
    [InlineData("423", "rejected")]
    public void Fold_OutboundEndedWithResultCode_OutcomeFromTheTableAndCodeKept(string code, string outcome)
    {
        var call = Fold(
            Hook("o1", "CreateOutCall", ("StartTime", "2021-01-28 10:00:00"), ("Caller", "80052002651"), ("Called", "9161234567")),
            Hook("o1", "EndOutCall", ("StartTime", "2021-01-28 10:00:00"), ("EndTime", "2021-01-28 10:00:30"), ("Duration", code == "200" ? 20 : 0), ("ResultCode", code), ("Caller", "80052002651"), ("Called", "9161234567")));

        Assert.Equal((outcome, code), (call.Outcome, call.ProviderResult));
        Assert.Equal(outcome, Assert.Single(call.Legs).Outcome);
    }

    [Fact]
    public void Parse_LowerCaseResultCode_KeptAsTheTableWritesIt()
    {
        var call = Fold(Hook("m1", "MissedIncCall", ("EndTime", "2021-01-28 18:34:51"), ("Caller", "9582412128"), ("Duration", 0), ("ResultCode", "603-s")));

        Assert.Equal(("missed", "603-S"), (call.Outcome, call.ProviderResult));
    }

    [Fact]
    public void Fold_EndIncCallWithoutEndTime_EndsAfterTheTalkFromStartDurationOrStartTime()
    {
        var fromStart = Fold(Hook("e1", "EndIncCall", ("StartTime", "2021-01-28 10:00:00"), ("Duration", 30), ("ResultCode", "200"), ("Caller", "9582412128"), ("Called", "0052002651")));
        var fromAnswer = Fold(Hook("e2", "EndIncCall", ("StartTime", "2021-01-28 10:00:00"), ("StartDuration", "2021-01-28 10:00:05"), ("Duration", 30), ("ResultCode", "200"), ("Caller", "9582412128")));

        Assert.Equal((Utc("2021-01-28T07:00:30Z"), 30), (fromStart.EndedAt!.Value, fromStart.TalkSeconds));
        Assert.Equal((Utc("2021-01-28T07:00:35Z"), 30), (fromAnswer.EndedAt!.Value, fromAnswer.TalkSeconds));
    }

    [Fact]
    public void Replies_AreWhatTheSenderExpects()
    {
        var parsed = Assert.IsType<HookParse.Parsed>(Parse(Create));
        var ok = Adapter.Accepted(Account, parsed, new StoredRaw(1, false));
        var repeat = Adapter.Accepted(Account, parsed, new StoredRaw(1, true));
        var failed = Adapter.Rejected("SessionID is missing");
        var denied = Adapter.Denied();

        Assert.Equal((200, """{"success": true}"""), (ok.StatusCode, ok.Body));
        Assert.Equal(ok, repeat);
        Assert.StartsWith("application/json", ok.ContentType, StringComparison.Ordinal);
        Assert.Equal(400, failed.StatusCode);
        using var error = JsonDocument.Parse(failed.Body);
        Assert.False(error.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal("SessionID is missing", error.RootElement.GetProperty("error").GetString());
        Assert.Equal(403, denied.StatusCode);
        using var deniedBody = JsonDocument.Parse(denied.Body);
        Assert.False(deniedBody.RootElement.GetProperty("success").GetBoolean());
    }

    [Fact]
    public void Authenticate_WrongOrMissingSecret_False()
    {
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary();

        Assert.True(Adapter.Authenticate(Account, "secret-secret", headers));
        Assert.False(Adapter.Authenticate(Account, "secret-secreT", headers));
        Assert.False(Adapter.Authenticate(Account, null, headers));
        Assert.Equal("/hooks/ht/secret-secret", Adapter.HookPath(Account));
        Assert.Empty(Adapter.SettingsProblems(Account));
    }
}
