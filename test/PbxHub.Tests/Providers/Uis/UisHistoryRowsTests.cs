using PbxHub.Providers.Uis;

namespace PbxHub.Tests.Providers.Uis;

/// <summary>
/// What one stored row of UIS's history says. UIS's Data API documentation (uiscom.ru, and callgear.github.io/data_api, the
/// same platform in English) publishes only typed placeholders ("number", "iso8601") as examples, so these rows follow
/// its field tables of get.calls_report and get.call_legs_report, with values in the documented formats.
/// </summary>
public sealed class UisHistoryRowsTests
{
    private const string Api = "https://dataapi.uiscom.ru/v2.0";

    private static readonly UisHistoryReader Reader = new(null!, TimeProvider.System);

    private const string AnsweredInbound = """
        {"call":{"id":3114546,"start_time":"2026-12-01 10:00:00","finish_time":"2026-12-01 10:01:40","finish_reason":"subscriber_disconnects",
        "direction":"in","source":"va","is_lost":false,"contact_phone_number":"79161234567","virtual_phone_number":"74951234567",
        "communication_id":3114546,"wait_duration":12,"talk_duration":88,"clean_talk_duration":85,"total_duration":100,"call_records":["a1b2"],
        "full_record_file_link":"https://media.uiscom.ru/3114546/a1b2","employees":[{"employee_id":77,"employee_full_name":"Ivanova Anna","is_answered":true,"is_talked":true}],
        "operator_phone_number":"79031112233"},
        "legs":[{"id":1,"call_session_id":3114546,"start_time":"2026-12-01 10:00:02","connect_time":"2026-12-01 10:00:13","duration":87,
        "total_duration":98,"finish_reason":"operator_answer","direction":"in","is_operator":true,"is_transfered":false,"is_talked":true,
        "employee_id":77,"employee_full_name":"Ivanova Anna","employee_phone_number":"101","calling_phone_number":"79161234567","called_phone_number":"101"}]}
        """;

    private static string Outbound(string reason, int talk = 0) => $$"""
        {"call":{"id":42,"start_time":"2026-12-01 12:00:00","finish_time":"2026-12-01 12:00:30","finish_reason":"{{reason}}","direction":"out",
        "is_lost":false,"contact_phone_number":"74959891628","virtual_phone_number":"74993720692","wait_duration":30,"talk_duration":{{talk}},
        "total_duration":30,"call_records":[],"full_record_file_link":null,"employees":[]},
        "legs":[{"id":7,"call_session_id":42,"start_time":"2026-12-01 12:00:00","connect_time":"2026-12-01 12:00:04","is_operator":true,
        "is_talked":{{(talk > 0 ? "true" : "false")}},"employee_phone_number":"79164572521"}]}
        """;

    [Fact]
    public void Read_AnsweredInboundWithLegs_GivesEveryFact()
    {
        var facts = Reader.Read(UisHistoryFixture.Account(Api), UisHistoryFixture.Row(AnsweredInbound))!;

        Assert.Equal("inbound", facts.Direction);
        Assert.Equal("+79161234567", facts.From!.Number);
        Assert.Equal("+74951234567", facts.To!.Number);
        Assert.Equal("+74951234567", facts.Line!.Number);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero), facts.StartedAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 7, 0, 13, TimeSpan.Zero), facts.AnsweredAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 7, 1, 40, TimeSpan.Zero), facts.EndedAt);
        Assert.Equal("answered", facts.Outcome);
        Assert.Equal(88, facts.TalkSeconds);
        Assert.Equal("101", facts.AnsweredBy!.Extension);
        Assert.Equal("subscriber_disconnects", facts.ProviderResult);
        Assert.Equal("https://media.uiscom.ru/3114546/a1b2", facts.RecordingUrl);
    }

    [Fact]
    public void Read_InboundLostWithoutTalk_IsMissedWithNobodyAnswering()
    {
        var row = AnsweredInbound.Replace("\"is_lost\":false", "\"is_lost\":true", StringComparison.Ordinal).Replace("\"talk_duration\":88", "\"talk_duration\":0", StringComparison.Ordinal)
            .Replace("\"is_talked\":true", "\"is_talked\":false", StringComparison.Ordinal);

        var facts = Reader.Read(UisHistoryFixture.Account(Api), UisHistoryFixture.Row(row))!;

        Assert.Equal("missed", facts.Outcome);
        Assert.Null(facts.AnsweredAt);
        Assert.Null(facts.AnsweredBy);
        Assert.Equal(0, facts.TalkSeconds);
    }

    [Theory]
    [InlineData("caller_busy", "busy")]
    [InlineData("subscriber_busy", "busy")]
    [InlineData("caller_not_responsive", "no_answer")]
    [InlineData("subscriber_not_responsible", "no_answer")]
    [InlineData("timeout", "no_answer")]
    [InlineData("operator_disconnects", "cancelled")]
    [InlineData("caller_disconnects", "rejected")]
    [InlineData("caller_number_problems", "unavailable")]
    [InlineData("operator_channels_busy", "congestion")]
    [InlineData("numb_not_exists", "failed")]
    [InlineData("not_enough_money", "failed")]
    [InlineData("a_reason_not_documented", "unknown")]
    public void Read_OutboundNobodyTalked_OutcomeFromFinishReason(string reason, string outcome)
    {
        var facts = Reader.Read(UisHistoryFixture.Account(Api), UisHistoryFixture.Row(Outbound(reason)))!;

        Assert.Equal(outcome, facts.Outcome);
        Assert.Equal(reason, facts.ProviderResult);
        Assert.Null(facts.AnsweredAt);
    }

    [Fact]
    public void Read_OutboundAnswered_FromTheOperatorToTheContactOnTheLine()
    {
        var facts = Reader.Read(UisHistoryFixture.Account(Api), UisHistoryFixture.Row(Outbound("caller_disconnects", talk: 26)))!;

        Assert.Equal("outbound", facts.Direction);
        Assert.Equal("answered", facts.Outcome);
        Assert.Equal("+79164572521", facts.From!.Number);
        Assert.Equal("+74959891628", facts.To!.Number);
        Assert.Equal("+74993720692", facts.Line!.Number);
        Assert.Equal("+79164572521", facts.AnsweredBy!.Number);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 4, TimeSpan.Zero), facts.AnsweredAt);
        Assert.Equal(26, facts.TalkSeconds);
    }

    [Fact]
    public void Read_AccountInAnotherZone_TimesAreThatZonesWallClock()
    {
        var facts = Reader.Read(UisHistoryFixture.Account(Api, zone: "Asia/Novosibirsk"), UisHistoryFixture.Row(AnsweredInbound))!;

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero), facts.StartedAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 3, 1, 40, TimeSpan.Zero), facts.EndedAt);
    }

    [Fact]
    public void Read_NoLegsNoFinishTime_AnsweredFromWaitAndEndedAfterTotalDuration()
    {
        var row = """
            {"call":{"id":5,"start_time":"2026-12-01 10:00:00","finish_time":null,"direction":"in","is_lost":false,"contact_phone_number":"79161234567",
            "virtual_phone_number":"74951234567","wait_duration":9,"talk_duration":50,"total_duration":59,"operator_phone_number":"79031112233"},"legs":[]}
            """;

        var facts = Reader.Read(UisHistoryFixture.Account(Api), UisHistoryFixture.Row(row))!;

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 7, 0, 9, TimeSpan.Zero), facts.AnsweredAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 7, 0, 59, TimeSpan.Zero), facts.EndedAt);
        Assert.Equal("+79031112233", facts.AnsweredBy!.Number);
    }

    [Fact]
    public void Read_RecordWithoutFullLink_LinkOnTheAccountsMediaHost()
    {
        var row = AnsweredInbound.Replace("\"https://media.uiscom.ru/3114546/a1b2\"", "null", StringComparison.Ordinal);

        var facts = Reader.Read(UisHistoryFixture.Account(Api), UisHistoryFixture.Row(row))!;

        Assert.Equal("https://app.uiscom.ru/system/media/talk/3114546/a1b2/", facts.RecordingUrl);
    }

    [Theory]
    [InlineData("\"direction\":\"in\"", "\"direction\":\"sideways\"")]
    [InlineData("\"start_time\":\"2026-12-01 10:00:00\"", "\"start_time\":null")]
    [InlineData("\"id\":3114546,", "")]
    [InlineData("{\"call\":", "{\"cal\":")]
    public void Read_WithoutIdDirectionOrStart_IsUnreadable(string field, string replacement)
    {
        var row = AnsweredInbound.Replace(field, replacement, StringComparison.Ordinal);

        Assert.Null(Reader.Read(UisHistoryFixture.Account(Api), UisHistoryFixture.Row(row)));
    }

    [Fact]
    public void Parse_MetadataLimitsAsAClientPublishesThem_ReadsTotalAndMinuteLimit()
    {
        // metadata.limits byte for byte from pashamesh/uiscom-api-client tests/DataApiClientTest.php.
        const string answer = """{"jsonrpc":"2.0","id":1,"result":{"data":[{"id":1},{"id":2}],"metadata":{"total_items":2,"limits":{"day_limit":750,"day_remaining":741,"day_reset":31492,"minute_limit":150,"minute_remaining":149,"minute_reset":52}}}}""";

        var page = Assert.IsType<UisReport.Page>(UisDataApi.Parse(answer));

        Assert.Equal(["""{"id":1}""", """{"id":2}"""], page.Rows);
        Assert.Equal(2, page.TotalItems);
        Assert.Equal(149, page.MinuteRemaining);
        Assert.Equal(52, page.MinuteReset);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"data":{"id":1},"metadata":{"total_items":1}}}""", "result.data is not a list")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"data":[],"metadata":{}}}""", "total_items")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{"data":[1],"metadata":{"total_items":1}}}""", "not an object")]
    [InlineData("<html>502</html>", "not JSON")]
    public void Parse_NotTheDocumentedShape_IsGarbageSayingWhy(string answer, string reason)
    {
        var garbage = Assert.IsType<UisReport.Garbage>(UisDataApi.Parse(answer));

        Assert.Contains(reason, garbage.Reason, StringComparison.Ordinal);
        Assert.Equal(answer, garbage.Body);
    }
}
