using PhoneNumbers;

namespace PbxHub.Calls;

/// <summary>Turns the addresses providers send into parties: the raw text always, an E.164 number where it is one.</summary>
internal static class Parties
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static Party Extension(string raw, string extension) => new(raw, null, extension);

    /// <summary>A value that should be a phone number; extension-like short values stay extensions.</summary>
    public static Party Number(string raw, string country) => Number(raw, raw, country);

    /// <summary>A number whose digits are in <paramref name="value"/> (the raw text minus a provider's decoration).</summary>
    public static Party Number(string raw, string value, string country)
    {
        var e164 = ToE164(value, country);
        if (e164 is null && IsShortCode(value))
        {
            return new Party(raw, null, value.Trim());
        }

        return new Party(raw, e164, null);
    }

    /// <summary>
    /// The same few thousand numbers come again and again, and libphonenumber is the costliest step of
    /// parsing an event: remember answers (bounded; forgotten wholesale when full).
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), string?> Known = new();

    public static string? ToE164(string raw, string country)
    {
        if (Known.TryGetValue((raw, country), out var known))
        {
            return known;
        }

        if (Known.Count > 100_000)
        {
            Known.Clear();
        }

        return Known[(raw, country)] = Normalise(raw, country);
    }

    private static string? Normalise(string raw, string country)
    {
        var digits = new string(raw.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length < 7 || digits.Length > 15)
        {
            return null;
        }

        var international = raw.TrimStart().StartsWith('+');
        foreach (var candidate in Candidates(digits, international, country))
        {
            if (TryParse(candidate.Text, candidate.Region) is { } number && Util.IsValidNumber(number))
            {
                return Util.Format(number, PhoneNumberFormat.E164);
            }
        }

        // Not a number the metadata knows (test ranges, new ranges): keep the plausible national reading.
        var fallback = TryParse(international ? "+" + digits : ForceNational(digits, country), country);
        return fallback is not null && Util.IsPossibleNumber(fallback) ? Util.Format(fallback, PhoneNumberFormat.E164) : null;
    }

    private static IEnumerable<(string Text, string Region)> Candidates(string digits, bool international, string country)
    {
        if (international)
        {
            yield return ("+" + digits, country);
            yield break;
        }

        yield return (ForceNational(digits, country), country);
        yield return ("+" + digits, country);
        yield return (digits, country);
    }

    /// <summary>
    /// Russian numbers come as 8XXXXXXXXXX, 7XXXXXXXXXX or ten bare digits; the ten digits are the
    /// national significant number even when they start with 8 (8955555555 is +7 895 555-55-55).
    /// </summary>
    private static string ForceNational(string digits, string country)
    {
        var code = Util.GetCountryCodeForRegion(country).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return country switch
        {
            "RU" or "KZ" when digits.Length == 10 => "+7" + digits,
            "RU" or "KZ" when digits.Length == 11 && (digits[0] == '8' || digits[0] == '7') => "+7" + digits[1..],
            "UA" when digits.Length == 10 && digits[0] == '0' => "+380" + digits[1..],
            "UA" when digits.Length == 9 => "+380" + digits,
            _ when digits.StartsWith(code, StringComparison.Ordinal) && digits.Length > code.Length + 8 => "+" + digits,
            _ => digits,
        };
    }

    private static PhoneNumber? TryParse(string text, string region)
    {
        try
        {
            return Util.Parse(text, region);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static bool IsShortCode(string raw)
    {
        var trimmed = raw.Trim();
        return trimmed.Length is > 0 and <= 6 && trimmed.All(char.IsAsciiDigit);
    }
}
