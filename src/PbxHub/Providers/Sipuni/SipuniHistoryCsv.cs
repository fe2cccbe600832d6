using System.Text;

namespace PbxHub.Providers.Sipuni;

/// <summary>One call's line of Sipuni's statistics export: its text exactly as written and its fields.</summary>
internal sealed record SipuniCsvLine(string Text, IReadOnlyList<string> Fields);

/// <summary>A statistics export read as a table: the header line as written, its column names, the calls' lines.</summary>
internal sealed record SipuniCsvTable(string HeaderText, IReadOnlyList<string> Header, IReadOnlyList<SipuniCsvLine> Lines);

/// <summary>
/// Sipuni's statistics export is semicolon-separated text with a header line (docs/providers/sipuni.md, "Call history").
/// Fields may be quoted the usual way (a quoted field can hold <c>;</c>, <c>""</c> and line breaks), so lines are
/// cut only outside quotes; each line keeps its own text, which is what the hub stores for the call.
/// </summary>
internal static class SipuniHistoryCsv
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The answer's text: UTF-8 (its BOM dropped), which is what integrations read; bytes that are not UTF-8 are read as
    /// Windows-1251, the other encoding Russian exports use.
    /// </summary>
    public static string Decode(byte[] body)
    {
        var start = body.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(body, start, body.Length - start);
        }
        catch (DecoderFallbackException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(1251)!.GetString(body, start, body.Length - start);
        }
    }

    /// <summary>The table, or null when the text has no line at all. Blank lines are skipped.</summary>
    public static SipuniCsvTable? Parse(string text)
    {
        var lines = new List<SipuniCsvLine>();
        var position = 0;
        while (position < text.Length)
        {
            var (line, next) = ReadLine(text, position);
            position = next;
            if (line.Text.Trim().Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines.Count == 0 ? null : new SipuniCsvTable(lines[0].Text, [.. lines[0].Fields.Select(f => f.Trim())], lines[1..]);
    }

    private static (SipuniCsvLine Line, int Next) ReadLine(string text, int start)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = start;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                // A quote opens a quoted field only at its start; elsewhere it is a character of the field.
                field.Clear();
                quoted = true;
            }
            else if (c == ';')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                break;
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        var end = i;
        if (i < text.Length && text[i] == '\r')
        {
            i++;
        }

        if (i < text.Length && text[i] == '\n')
        {
            i++;
        }

        return (new SipuniCsvLine(text[start..end], fields), i);
    }

    /// <summary>A field written so <see cref="Parse"/> reads it back: quoted when it holds a separator, a quote or a line break.</summary>
    public static string Field(string? value) =>
        value is null ? "" : value.IndexOfAny([';', '"', '\r', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
