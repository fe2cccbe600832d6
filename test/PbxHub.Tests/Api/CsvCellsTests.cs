using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using PbxHub.Api;

namespace PbxHub.Tests.Api;

public sealed class CsvCellsTests
{
    private static readonly CsvFormat Comma = new(',', null, false);
    private static readonly CsvFormat Semicolon = new(';', null, false);
    private static readonly CsvFormat NumbersAsText = new(',', null, true);

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"x\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"")]
    [InlineData("+7 903 SUM(A1)", "\"'+7 903 SUM(A1)\"")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "\"'-2+3+cmd|' /C calc'!A0\"")]
    [InlineData("@SUM(1+9)*cmd|' /C calc'!A0", "\"'@SUM(1+9)*cmd|' /C calc'!A0\"")]
    [InlineData("\t=1+1", "\"'\t=1+1\"")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("+1\n", "\"'+1\n\"")]
    public void Text_FormulaStart_ApostropheAndQuoted(string value, string field) => Assert.Equal(field, CsvCells.Text(value, Comma));

    [Theory]
    [InlineData("89031234567;=1+1", "89031234567;'=1+1")]
    [InlineData("x,@SUM(A1)", "\"x,'@SUM(A1)\"")]
    public void Text_FormulaStartAfterASeparator_NeutralisedThereToo(string value, string field) =>
        Assert.Equal(field, CsvCells.Text(value, Comma));

    [Theory]
    [InlineData("+79031234567")]
    [InlineData("012345101")]
    [InlineData("1419783130.15593")]
    [InlineData("8 (903) 123-45-67")]
    [InlineData("https://sipuni.com/api/crm/record?id=1&hash=2")]
    public void Text_NumbersAndOrdinaryText_Unchanged(string value) => Assert.Equal(value, CsvCells.Text(value, Comma));

    [Theory]
    [InlineData("+79031234567", "\"=\"\"+79031234567\"\"\"")]
    [InlineData("012345101", "\"=\"\"012345101\"\"\"")]
    [InlineData("380987858227123", "\"=\"\"380987858227123\"\"\"")]
    [InlineData("8 (903) 123-45-67", "8 (903) 123-45-67")]
    public void Text_NumbersAsText_WrittenAsTextFormula(string value, string field) => Assert.Equal(field, CsvCells.Text(value, NumbersAsText));

    [Theory]
    [InlineData("+7 (903) 123-45-67", "\"=\"\"+7 (903) 123-45-67\"\"\"")]
    [InlineData("-7 903", "\"=\"\"-7 903\"\"\"")]
    [InlineData("+7 903 SUM(A1)", "\"'+7 903 SUM(A1)\"")]
    public void Text_NumbersAsTextFormattedNumberWithSign_ShownExactlyNotWithAnApostrophe(string value, string field) =>
        Assert.Equal(field, CsvCells.Text(value, NumbersAsText));

    [Theory]
    [InlineData("a;b", ',', "a;b")]
    [InlineData("a;b", ';', "\"a;b\"")]
    [InlineData("a,b", ';', "a,b")]
    [InlineData("a,b", ',', "\"a,b\"")]
    public void Plain_Delimiter_QuotedOnlyWhenItHoldsTheDelimiter(string value, char delimiter, string field) =>
        Assert.Equal(field, CsvCells.Plain(value, delimiter));

    [Fact]
    public void Text_SemicolonInAValue_QuotedForThatDelimiter() => Assert.Equal("\"ANSWER;x\"", CsvCells.Text("ANSWER;x", Semicolon));

    [Fact]
    public void Read_NoParameters_CommaAccountZonesNumbersPlain()
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Equal(new CsvFormat(',', null, false), CsvFormat.Read(new QueryCollection(), errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void Read_EveryParameter_Taken()
    {
        var errors = new Dictionary<string, string[]>();
        var query = new QueryCollection(new Dictionary<string, StringValues>
        {
            ["delimiter"] = "semicolon", ["timeZone"] = "Europe/Kyiv", ["numbers"] = "text",
        });
        var format = CsvFormat.Read(query, errors);
        Assert.Empty(errors);
        Assert.Equal((';', "Europe/Kyiv", true), (format.Delimiter, format.Zone?.Id, format.NumbersAsText));
    }

    [Fact]
    public void Read_BadValues_EachNamed()
    {
        var errors = new Dictionary<string, string[]>();
        CsvFormat.Read(new QueryCollection(new Dictionary<string, StringValues>
        {
            ["delimiter"] = "tab", ["timeZone"] = "Mars/Olympus", ["numbers"] = "words",
        }), errors);
        Assert.Equal(["delimiter", "numbers", "timeZone"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("Mars/Olympus", errors["timeZone"][0], StringComparison.Ordinal);
    }
}
