using System.Text.RegularExpressions;

namespace PbxHub.Ingest;

/// <summary>
/// A quarantine reason without the request's own values, as a metric tag: <c>unknown event '9' (expected 1, 2, 3 or 4)</c>
/// and <c>unknown event '0'</c> are one kind, so the tag has a handful of values, not one per bad request.
/// </summary>
internal static partial class QuarantineReasons
{
    private const int MaxKindLength = 100;

    public static string Kind(string reason)
    {
        // Adapters quote the values they read ('…'); an exception's text after a colon is the request's own detail.
        var kind = Quoted().Replace(reason, "'…'");
        var colon = kind.IndexOf(": ", StringComparison.Ordinal);
        kind = colon >= 0 ? kind[..colon] : kind;
        kind = Digits().Replace(kind, "N");
        return kind.Length > MaxKindLength ? kind[..MaxKindLength] : kind;
    }

    [GeneratedRegex("'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
