using System.Buffers;
using System.Text.RegularExpressions;

namespace PbxHub.Api;

/// <summary>
/// One CSV field (RFC 4180), made safe for spreadsheets: a value that arrived from a provider and would
/// start a formula is neutralised as OWASP advises for CSV injection (a leading apostrophe, quoted), and a
/// number-shaped value can be written so spreadsheets keep it as text (docs/export.md).
/// </summary>
internal static partial class CsvCells
{
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");

    /// <summary>What spreadsheets turn into a number, losing a leading <c>+</c>, zeros or digits past the fifteenth.</summary>
    [GeneratedRegex(@"^[+-]?[0-9]+([.,][0-9]+)?\z")]
    private static partial Regex NumberShaped();

    /// <summary>A number as people write it (<c>+7 (903) 123-45-67</c>): text, not a number, but one a sign would make a formula.</summary>
    [GeneratedRegex(@"^[+-]?[0-9][0-9 ()./-]*\z")]
    private static partial Regex NumberWritten();

    /// <summary>A formula start right after a separator: a program that splits on the other delimiter sees a cell start there.</summary>
    [GeneratedRegex("(?<!^)([,;\t])([=+@\t\r-])")]
    private static partial Regex FormulaAfterSeparator();

    /// <summary>A value PbxHub took from a provider (a number, a result, a link): any text at all.</summary>
    public static string Text(string? value, CsvFormat format)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (NumberShaped().IsMatch(value))
        {
            // A number runs nothing; "=" + a quoted string is the text the spreadsheet shows, exactly.
            return format.NumbersAsText ? Plain("=\"" + value + "\"", format.Delimiter) : Plain(value, format.Delimiter);
        }

        if (format.NumbersAsText && FormulaStarts.Contains(value[0]) && NumberWritten().IsMatch(value))
        {
            // Digits and punctuation inside a string literal run nothing either, and show without the apostrophe.
            return Plain("=\"" + value + "\"", format.Delimiter);
        }

        var safe = FormulaAfterSeparator().Replace(value, "$1'$2");
        return FormulaStarts.Contains(safe[0]) ? Quoted("'" + safe) : Plain(safe, format.Delimiter);
    }

    /// <summary>A value PbxHub wrote itself (an id, a state, a time, a count): quoted only where RFC 4180 needs it.</summary>
    public static string Plain(string? value, char delimiter) =>
        value is null ? "" : value.Contains(delimiter) || value.AsSpan().IndexOfAny("\"\r\n") >= 0 ? Quoted(value) : value;

    private static string Quoted(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
