using System.Globalization;

namespace PbxHub.Reconciliation;

/// <summary>
/// The period a manual run reads (docs/reconciliation.md): ISO 8601 times with their offset; by default the last 24 hours
/// up to now minus the settle time; since before until; at most 31 days.
/// </summary>
internal static class ReconciliationPeriod
{
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);

    public static readonly TimeSpan Longest = TimeSpan.FromDays(31);

    /// <summary>The period, or a problem in words.</summary>
    public static (DateTimeOffset Since, DateTimeOffset Until)? Parse(
        string? since, string? until, DateTimeOffset now, TimeSpan settle, out string? problem)
    {
        problem = null;
        DateTimeOffset? s = null, u = null;
        if (!string.IsNullOrEmpty(since) && (s = Time(since)) is null)
        {
            problem = $"since '{since}' is not an ISO 8601 time with an offset (e.g. 2026-12-03T10:00:00+03:00)";
        }
        else if (!string.IsNullOrEmpty(until) && (u = Time(until)) is null)
        {
            problem = $"until '{until}' is not an ISO 8601 time with an offset (e.g. 2026-12-03T10:00:00+03:00)";
        }

        if (problem is not null)
        {
            return null;
        }

        var end = u ?? now - settle;
        var start = s ?? end - Default;
        if (start >= end)
        {
            problem = "since must be before until";
            return null;
        }

        if (end - start > Longest)
        {
            problem = $"the period is longer than {Longest.TotalDays:0} days";
            return null;
        }

        return (start, end);
    }

    private static DateTimeOffset? Time(string text)
    {
        var t = text.Trim();
        if (t.Length > 6 && t[^6] == ' ')
        {
            // An offset's '+' left unescaped in a query string arrives as a space.
            t = string.Concat(t.AsSpan(0, t.Length - 6), "+", t.AsSpan(t.Length - 5));
        }

        // Without its offset a time means a different instant on every server: refused rather than guessed.
        var hasOffset = t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 6 && t[^6] is '+' or '-' && t[^3] == ':');
        return hasOffset && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
    }
}
