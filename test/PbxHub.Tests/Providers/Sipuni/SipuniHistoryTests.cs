using System.Text;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers.Sipuni;
using PbxHub.Reconciliation;

namespace PbxHub.Tests.Providers.Sipuni;

/// <summary>Sipuni's statistics export as the history reader reads it: the request's hash, the CSV, one line's facts.</summary>
public sealed class SipuniHistoryTests
{
    /// <summary>
    /// Two lines of an answer kept, byte for byte, in a public PHP CRM integration of 2015 (its <c>get_sipuni_stat_data</c>
    /// function, found by text search), with its header line; the integration strips the lines' leading tab.
    /// </summary>
    private const string Header2015 = "Тип;Статус;Время;Схема;Откуда;Куда;Кто ответил;Продолжительность звонка;Продолжительность разговора;Время ответа;Оценка;ID записи;Метка;ID заказа звонка;;";
    private const string Answered2015 = "исходящий;отвечен;08.10.2015 16:31:03;8-499 KSRI Москва;997;89521152137;;180;171;9;;1444311063.117599;; ";
    private const string Unanswered2015 = "исходящий;не отвечен;08.10.2015 11:20:37;8-499 KSRI Москва;997;79084959445;;41;;;;1444292437.110169;; ";

    /// <summary>The header another public PHP integration lists for an export with the outgoing line and scheme ids shown.</summary>
    private const string HeaderNow = "Тип;Статус;Время;ID схемы звонка;Схема;Исходящая линия;Откуда;Куда;Кто ответил;Длительность звонка;Длительность разговора;"
        + "Время ответа;Оценка;ID записи;Метка;Теги;Инициатор завершения звонка;ID заказа звонка;Запись существует;Новый клиент;Состояние перезвона;"
        + "Время перезвона;Информация из CRM;Ответственный из CRM";

    private static readonly SipuniHistoryReader Reader = new(null!, TimeProvider.System);

    internal static Account Moscow(string zone = "Europe/Moscow", Dictionary<string, string>? settings = null) =>
        new("acme", "sipuni", "", zone, "RU", settings ?? new Dictionary<string, string> { ["Sipuni:UserNumber"] = "012345" }, AccountSources.Configuration);

    private static HistoryFacts Facts(string header, string line, Account? account = null) =>
        Reader.Read(account ?? Moscow(), Row(header + "\r\n" + line)) ?? throw new InvalidOperationException("unreadable: " + line);

    private static RawRequest Row(string text) =>
        new("POST", "text/csv", "", Encoding.UTF8.GetBytes(text), new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);

    [Fact]
    public void Hash_ReaderRequest_IsMd5OfTheValuesInTheOrderOfTheirNamesThenTheSecret()
    {
        var form = SipuniExportRequest.Form("012345", "0.1234567890", new DateOnly(2026, 12, 3));

        // md5sum of the joined values, computed outside .NET.
        Assert.Equal("hash", form[^1].Key);
        Assert.Equal("1b7f34c2651288f6fa4609330995f542", form[^1].Value);
        Assert.Equal([.. form.SkipLast(1).Select(f => f.Key).Order(StringComparer.Ordinal)], form.SkipLast(1).Select(f => f.Key).ToArray());
        Assert.Equal(("from", "03.12.2026", "to", "03.12.2026"), (form[2].Key, form[2].Value, form[11].Key, form[11].Value));
    }

    [Fact]
    public void Hash_TheTenFieldsOfThe2015Integration_SignsTheStringItSigned()
    {
        // That integration joins anonymous, firstTime, from, fromNumber, state, to, toAnswer, toNumber, tree, type, user, secret.
        Dictionary<string, string> fields = new()
        {
            ["user"] = "060957", ["type"] = "0", ["tree"] = "", ["toNumber"] = "", ["toAnswer"] = "", ["to"] = "08.10.2015",
            ["state"] = "0", ["fromNumber"] = "997", ["from"] = "08.10.2015", ["firstTime"] = "0", ["anonymous"] = "1",
        };

        // md5sum of "1+0+08.10.2015+997+0+08.10.2015++++0+060957+0.abcdefghij".
        Assert.Equal("76b149b8aa910a2829d9fb41902efd44", SipuniExportRequest.Hash(fields, "0.abcdefghij"));
    }

    [Fact]
    public void Read_AnsweredOutbound2015Line_EveryFactAndTheRecordIdIsTheStartsUnixTime()
    {
        var facts = Facts(Header2015, Answered2015);

        Assert.Equal(Directions.Outbound, facts.Direction);
        Assert.Equal(new Party("997", null, "997"), facts.From);
        Assert.Equal(new Party("89521152137", "+79521152137", null), facts.To);
        Assert.Null(facts.Line);
        Assert.Equal(DateTimeOffset.Parse("2015-10-08T13:31:03Z"), facts.StartedAt);
        Assert.Equal(1444311063, facts.StartedAt.ToUnixTimeSeconds());
        Assert.Equal(DateTimeOffset.Parse("2015-10-08T13:31:12Z"), facts.AnsweredAt);
        Assert.Equal(DateTimeOffset.Parse("2015-10-08T13:34:03Z"), facts.EndedAt);
        Assert.Equal((Outcomes.Answered, 171, "отвечен"), (facts.Outcome, facts.TalkSeconds, facts.ProviderResult));
        Assert.Null(facts.AnsweredBy);
        Assert.Null(facts.RecordingUrl);
    }

    [Fact]
    public void Read_UnansweredOutbound2015Line_NoAnswerEndedAfterTheCallsDuration()
    {
        var facts = Facts(Header2015, Unanswered2015);

        Assert.Equal((Outcomes.NoAnswer, 0, "не отвечен"), (facts.Outcome, facts.TalkSeconds, facts.ProviderResult));
        Assert.Null(facts.AnsweredAt);
        Assert.Equal(facts.StartedAt.AddSeconds(41), facts.EndedAt);
        Assert.Equal(1444292437, facts.StartedAt.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("Входящий", "Не отвечен", Directions.Inbound, Outcomes.Missed)]
    [InlineData("Входящий", "Отвечен", Directions.Inbound, Outcomes.Answered)]
    [InlineData("Исходящий", "Не отвечен", Directions.Outbound, Outcomes.NoAnswer)]
    [InlineData("Внутренний", "Не отвечен", Directions.Internal, Outcomes.NoAnswer)]
    [InlineData("Входящий", "Неотвеченный", Directions.Inbound, Outcomes.Missed)]
    [InlineData("Исходящий", "Отвеченный", Directions.Outbound, Outcomes.Answered)]
    [InlineData("Исходящий", "Занято", Directions.Outbound, Outcomes.Busy)]
    [InlineData("Входящий", "Пропущен", Directions.Inbound, Outcomes.Missed)]
    [InlineData("Входящий", "Что-то новое", Directions.Inbound, Outcomes.Unknown)]
    public void Read_TypeAndStatus_MappedInOnePlace(string type, string status, string direction, string outcome)
    {
        var facts = Facts(HeaderNow, $"{type};{status};03.12.2026 10:15:00;000-913898;Входящая;;+79031234567;74951234567;;25;;;;1764746100.5501;;;;;0;0;;;;");

        Assert.Equal((direction, outcome, status), (facts.Direction, facts.Outcome, facts.ProviderResult));
    }

    [Fact]
    public void Read_AnsweredInboundWithNames_LineIsTheDialledNumberAndAnsweredByIsTheExtension()
    {
        var facts = Facts(HeaderNow, "Входящий;Отвечен;03.12.2026 10:15:00;000-913898;Входящая;;+79031234567;74951234567;101 (Иванов Иван);95;80;15;;1764746100.5501;;;;;1;0;;;;");

        Assert.Equal(new Party("+79031234567", "+79031234567", null), facts.From);
        Assert.Equal(new Party("74951234567", "+74951234567", null), facts.To);
        Assert.Equal(facts.To, facts.Line);
        Assert.Equal(new Party("101 (Иванов Иван)", null, "101"), facts.AnsweredBy);
        Assert.Equal(DateTimeOffset.Parse("2026-12-03T07:15:00Z"), facts.StartedAt);
        Assert.Equal(DateTimeOffset.Parse("2026-12-03T07:15:15Z"), facts.AnsweredAt);
        Assert.Equal(DateTimeOffset.Parse("2026-12-03T07:16:35Z"), facts.EndedAt);
        Assert.Equal(80, facts.TalkSeconds);
    }

    [Fact]
    public void Read_OutboundWithOutgoingLineAndLogin_LineFromItsColumnCallerIsTheExtension()
    {
        var facts = Facts(HeaderNow, "Исходящий;Отвечен;03.12.2026 10:15:00;000-913901;Исходящая;74951234567;012345101;89031234567;;00:01:35;00:01:20;00:00:15;;1764746100.5502;;;;;1;0;;;;");

        Assert.Equal(new Party("012345101", null, "101"), facts.From);
        Assert.Equal("+79031234567", facts.To?.Number);
        Assert.Equal("+74951234567", facts.Line?.Number);
        Assert.Equal((80, 95.0), (facts.TalkSeconds, (facts.EndedAt - facts.StartedAt).TotalSeconds));
    }

    [Theory]
    [InlineData("Europe/Moscow", "2026-12-03T07:15:00Z")]
    [InlineData("Asia/Yekaterinburg", "2026-12-03T05:15:00Z")]
    [InlineData("Europe/Kaliningrad", "2026-12-03T08:15:00Z")]
    public void Read_WallClockTime_InTheAccountsZone(string zone, string expected)
    {
        var facts = Facts(HeaderNow, "Входящий;Не отвечен;03.12.2026 10:15:00;;;;+79031234567;74951234567;;25;;;;1;;;;;0;0;;;;", Moscow(zone));

        Assert.Equal(DateTimeOffset.Parse(expected), facts.StartedAt);
    }

    [Fact]
    public void Parse_QuotedFieldsWithSeparatorQuoteAndLineBreak_OneLineKeptAsWritten()
    {
        var line = "Входящий;Отвечен;03.12.2026 10:15:00;000-913898;\"Схема; \"\"VIP\"\"\r\nночь\";;+79031234567;74951234567;102;60;50;10;;1764746100.77;;;;;1;0;;;;";
        var table = SipuniHistoryCsv.Parse(HeaderNow + "\r\n" + line + "\r\n")!;

        var only = Assert.Single(table.Lines);
        Assert.Equal(line, only.Text);
        Assert.Equal("Схема; \"VIP\"\r\nночь", only.Fields[4]);
        Assert.Equal("74951234567", only.Fields[7]);
        Assert.Equal(Outcomes.Answered, Facts(HeaderNow, line).Outcome);
        Assert.Equal("Схема; \"VIP\"\r\nночь", SipuniHistoryCsv.Parse(HeaderNow + "\n" + string.Join(';', ["a", SipuniHistoryCsv.Field("Схема; \"VIP\"\r\nночь")]))!.Lines[0].Fields[1]);
    }

    [Fact]
    public void Decode_BomAndWindows1251_BothReadAsTheRussianHeader()
    {
        var utf8 = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(HeaderNow)).ToArray();
        var cp1251 = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1251)!.GetBytes(HeaderNow);

        Assert.Equal(HeaderNow, SipuniHistoryCsv.Decode(utf8));
        Assert.Equal(HeaderNow, SipuniHistoryCsv.Decode(cp1251));
    }

    [Theory]
    [InlineData("Тип;Статус;Время;Откуда;Куда", "Входящий;Отвечен;вчера;+79031234567;74951234567")]
    [InlineData("Тип;Статус;Время;Откуда;Куда", "Факс;Отвечен;03.12.2026 10:15:00;+79031234567;74951234567")]
    [InlineData("type;status;time;from;to", "in;ANSWER;03.12.2026 10:15:00;+79031234567;74951234567")]
    public void Read_UnreadableRow_Null(string header, string line) =>
        Assert.Null(Reader.Read(Moscow(), Row(header + "\r\n" + line)));

    [Fact]
    public void SettingsProblems_NoUserNoSecret_NamesBothSettings()
    {
        var problems = Reader.SettingsProblems(Moscow()).ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Sipuni:User is not set", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Sipuni:ApiSecret is not set", StringComparison.Ordinal));
        Assert.Empty(Reader.SettingsProblems(Moscow(settings: new() { ["Sipuni:User"] = "012345", ["Sipuni:ApiSecret"] = "s" })));
    }
}
