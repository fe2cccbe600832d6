using System.Globalization;

namespace PbxHub.Providers;

/// <summary>
/// Provider times written without a zone (<c>2021-01-28 14:15:22</c>) are the provider's wall clock in
/// the account's IANA zone. A time with an explicit offset or <c>Z</c> is taken as written.
/// </summary>
internal static class LocalTimes
{
    private static readonly string[] LocalFormats =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm"];

    private static readonly string[] ZonedFormats =
        ["yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>The instant, or null when <paramref name="text"/> is not one of the accepted shapes.</summary>
    public static DateTimeOffset? Parse(string? text, TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (DateTime.TryParseExact(trimmed, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return Plausible(local) ? FromWallClock(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone) : null;
        }

        return DateTimeOffset.TryParseExact(trimmed, ZonedFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var zoned) && Plausible(zoned.DateTime)
            ? zoned.ToUniversalTime()
            : null;
    }

    /// <summary>A call time PBXs could send: not 0001-01-01 (whose offset would fall before the calendar), nor centuries away.</summary>
    private static bool Plausible(DateTime value) => value.Year is >= 1970 and <= 2200;

    /// <summary>
    /// A wall-clock time in <paramref name="zone"/> as UTC. When clocks go back the hour repeats: the first
    /// pass is taken (providers write the time a call started, which the earlier reading matches more often).
    /// When clocks go forward the skipped hour cannot be read on a clock: it is read with the offset before
    /// the change, as a clock that had not yet been moved would have shown it.
    /// </summary>
    public static DateTimeOffset FromWallClock(DateTime local, TimeZoneInfo zone)
    {
        TimeSpan offset;
        if (zone.IsAmbiguousTime(local))
        {
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else if (zone.IsInvalidTime(local))
        {
            offset = zone.GetUtcOffset(local.AddDays(-1));
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local.Ticks - offset.Ticks, TimeSpan.Zero);
    }
}
