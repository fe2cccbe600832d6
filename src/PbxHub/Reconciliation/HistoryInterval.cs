using System.Globalization;
using PbxHub.Accounts;

namespace PbxHub.Reconciliation;

/// <summary>An account's <c>History:Interval</c>: how often its provider's history is read (absent: never on a schedule).</summary>
internal static class HistoryInterval
{
    public const string Key = "History:Interval";

    public static readonly TimeSpan Least = TimeSpan.FromMinutes(1);

    public static TimeSpan? Of(Account account) =>
        account.Setting(Key) is { } text && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var interval) && interval >= Least
            ? interval
            : null;

    /// <summary>What is wrong with the setting, for account validation; null when it is absent or right.</summary>
    public static string? Problem(Account account) =>
        account.Setting(Key) is { } text && Of(account) is null
            ? $"{Key} '{text}' must be a time span of at least {Least:c} (e.g. 00:15:00)"
            : null;
}
