using System.Text;

namespace PbxHub.Providers;

/// <summary>
/// Text taken from a provider's request, made storable: PostgreSQL's text holds no NUL, and no engine can encode half
/// a surrogate pair as UTF-8. Each such character becomes U+FFFD, so the value still shows that something was there.
/// </summary>
internal static class ProviderText
{
    public static string Storable(string text)
    {
        var span = text.AsSpan();
        if (!span.Contains('\0') && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }

        // Enumerating runes already turns half a surrogate pair into U+FFFD; a whole pair stays.
        var storable = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            storable.Append(rune.Value == 0 ? Rune.ReplacementChar : rune);
        }

        return storable.ToString();
    }
}
