using System.Text;
using System.Text.RegularExpressions;

namespace PbxHub.Logging;

/// <summary>
/// Rewrites log text so that it carries no secret and, unless configured off, no whole phone number.
/// It works on the text as written, whatever wrote it (our messages, ASP.NET Core's request lines,
/// exception messages), so no call site has to remember it.
/// </summary>
internal static partial class LogMasking
{
    public const string Hidden = "***";

    /// <summary>Secrets are always hidden; phone numbers when <paramref name="phoneNumbers"/> is set.</summary>
    /// <param name="json">The text is a JSON document whose own numeric values (counts, ids) must stay numbers.</param>
    public static string Mask(string text, bool phoneNumbers, bool json = false)
    {
        if (text.Length == 0)
        {
            return text;
        }

        text = HookPathSecret().Replace(text, Hidden);
        text = AuthorizationValue().Replace(text, Hidden);
        text = BearerToken().Replace(text, Hidden);
        text = PrefixedSecret().Replace(text, Hidden);
        text = SecretParameter().Replace(text, Hidden);
        text = SecretJsonField().Replace(text, Hidden);
        return phoneNumbers ? PhoneNumber().Replace(text, m => MaskNumber(m, text, json)) : text;
    }

    /// <summary>Keeps the leading +, the first digit (country or trunk code) and the last four of a full number; the last two of a short one.</summary>
    private static string MaskNumber(Match match, string text, bool json)
    {
        if (json && match.Index >= 2 && text[match.Index - 1] == ':' && text[match.Index - 2] == '"' && (match.Index < 3 || text[match.Index - 3] != '\\'))
        {
            // A number value of the JSON formatter's own ("Count":1234567), not text inside a string.
            return match.Value;
        }

        var digits = new StringBuilder();
        foreach (var c in match.Groups["body"].ValueSpan)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }

        var prefix = match.Groups["plus"].Value;
        if (prefix.Length == 0 && digits.Length == match.Length && digits[0] == '1' && digits.Length is 10 or 13)
        {
            // A bare 10- or 13-digit run starting with 1 is a Unix time (seconds, milliseconds), which no Russian or
            // Ukrainian number looks like.
            return match.Value;
        }

        var n = digits.Length;
        var (head, tail) = n >= 10 ? (1, 4) : (0, 2);
        return prefix + digits.ToString(0, head) + new string('*', n - head - tail) + digits.ToString(n - tail, tail);
    }

    /// <summary>The secret segment of <c>/hooks/{account}/{secret}</c> (a route template's <c>{secret}</c> is left alone).</summary>
    [GeneratedRegex("""(?<=/hooks/[^/\s?#"'<>]+/)(?!\{)[^/\s?#"'&<>]+""")]
    private static partial Regex HookPathSecret();

    /// <summary>An Authorization header's value, as a header line, a JSON field or a dictionary entry.</summary>
    [GeneratedRegex("""(?<=\bAuthorization["']?\s*[:=,]\s*["']?(?:(?:Bearer|Basic|Token)\s+)?)(?!(?:Bearer|Basic|Token)\s)[^\s"',;\]]+""", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationValue();

    [GeneratedRegex("""(?<=\bBearer\s+)(?!\*\*\*)[A-Za-z0-9._~+/=-]+""", RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();

    /// <summary>Webhook signing secrets (<c>whsec_…</c>) and generated API keys (<c>pbx_…</c>).</summary>
    [GeneratedRegex("""(?<=\b(?:whsec|pbx)_)[A-Za-z0-9+/=_-]{6,}""")]
    private static partial Regex PrefixedSecret();

    /// <summary>A query or form parameter whose name says it is a secret (<c>token=…</c>, <c>access_token=…</c>, <c>password=…</c>).</summary>
    [GeneratedRegex("""(?<=(?:^|[?&;\s])[\w.-]*(?:token|secret|passw(?:or)?d|pwd|api[_-]?key|signature)[\w.-]*=)(?<!PublicKeyToken=)[^&\s"'<>]+""", RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter();

    /// <summary>A JSON string field whose name says it is a secret.</summary>
    [GeneratedRegex("""(?<="[\w-]*(?:token|secret|passw(?:or)?d|api[_-]?key|signature)[\w-]*"\s*:\s*")(?:[^"\\]|\\.)+""", RegexOptions.IgnoreCase)]
    private static partial Regex SecretJsonField();

    /// <summary>
    /// 7 to 15 digits, optionally after + (or its URL encoding %2B), with single spaces, dashes or parentheses between
    /// them, standing alone: not part of a word, an identifier, a decimal (<c>1419783130.15593</c>), a time
    /// (<c>12:00:00</c>), an address (<c>127.0.0.1</c>), a date (<c>2024-05-01</c>), a request id
    /// (<c>0HNQA1B67EO3J:00000001</c>) or an event id (<c>Category[123456786]</c>).
    /// </summary>
    [GeneratedRegex("""
        (?<![\w.%+-]|\w[:\[])   # not mid-token, nor a request id (0HNQA1B67EO3J:00000001) or an event id (Category[123456786])
        (?!\d{4}-\d{2}-\d{2}(?!\d))
        (?<plus>\+|%2[Bb])?
        (?<body>\(?\d(?:[ ()-]{0,2}\d){6,14})
        (?![\w]|[.,:]\d)
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex PhoneNumber();
}
