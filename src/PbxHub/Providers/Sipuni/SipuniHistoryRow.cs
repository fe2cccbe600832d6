using System.Globalization;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Reconciliation;

namespace PbxHub.Providers.Sipuni;

/// <summary>What one line of Sipuni's statistics export says about its call (docs/providers/sipuni.md, "Call history").</summary>
internal static class SipuniHistoryRow
{
    private static readonly string[] TimeFormats = ["dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy H:mm:ss", "dd.MM.yyyy HH:mm", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>The line's facts, or why it cannot be read.</summary>
    public static (HistoryFacts? Facts, string? Problem) Facts(Account account, SipuniHistoryColumns c, IReadOnlyList<string> f)
    {
        var typeText = c.Get(f, SipuniHistoryColumns.Type);
        if (SipuniHistoryStatuses.DirectionOf(typeText) is not { } direction)
        {
            return (null, typeText is null ? "the call type (Тип) is empty" : $"unknown call type (Тип) '{typeText}'");
        }

        var timeText = c.Get(f, SipuniHistoryColumns.Time);
        if (StartOf(timeText, account.Zone) is not { } started)
        {
            return (null, timeText is null ? "the call time (Время) is empty" : $"the call time (Время) '{timeText}' is not dd.mm.yyyy hh:mm:ss");
        }

        var status = c.Get(f, SipuniHistoryColumns.Status);
        var outcome = SipuniHistoryStatuses.OutcomeOf(status, direction);
        var talk = Seconds(c.Get(f, SipuniHistoryColumns.TalkSeconds)) ?? 0;
        var toAnswer = Seconds(c.Get(f, SipuniHistoryColumns.AnswerSeconds));
        var total = Seconds(c.Get(f, SipuniHistoryColumns.CallSeconds)) ?? (toAnswer ?? 0) + talk;
        var answered = outcome == Outcomes.Answered;
        var ended = started.AddSeconds(Math.Max(total, answered ? (toAnswer ?? 0) + talk : 0));
        DateTimeOffset? answeredAt = !answered ? null : toAnswer is { } wait ? started.AddSeconds(wait) : ended.AddSeconds(-talk);

        var from = PartyOf(account, c.Get(f, SipuniHistoryColumns.From));
        var to = PartyOf(account, c.Get(f, SipuniHistoryColumns.To));
        // Inbound, "Куда" is the number the client dialled when it is one; outbound, the line is its own column.
        var line = direction == Directions.Inbound ? (to?.Number is not null ? to : null)
            : direction == Directions.Outbound ? PartyOf(account, c.Get(f, SipuniHistoryColumns.OutgoingLine)) is { Number: not null } l ? l : null
            : null;
        var facts = new HistoryFacts(
            direction, from, to, line, started, answeredAt, ended, outcome, answered ? talk : 0,
            answered ? PartyOf(account, c.Get(f, SipuniHistoryColumns.AnsweredBy)) : null, status, RecordingUrl: null);
        return (facts, null);
    }

    /// <summary>The export's wall-clock time in the account's zone (the zone set in Sipuni's cabinet; docs/time-zones.md).</summary>
    public static DateTimeOffset? StartOf(string? text, TimeZoneInfo zone) =>
        text is not null && DateTime.TryParseExact(text.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) && local.Year is >= 1970 and <= 2200
            ? LocalTimes.FromWallClock(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone)
            : null;

    /// <summary>Seconds written as a number (<c>171</c>) or a clock (<c>02:51</c>, <c>0:02:51</c>); null when empty or neither.</summary>
    public static int? Seconds(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var total = 0;
        foreach (var part in text.Trim().Split(':'))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || total > 1_000_000)
            {
                return null;
            }

            total = (total * 60) + n;
        }

        return total;
    }

    /// <summary>
    /// A party as the export writes it: a number (<c>+79031234567</c>, <c>89521152137</c>), an extension (<c>997</c>), a login
    /// (<c>012345101</c>), with the employee's name when names are shown (<c>428 (Додаев Иван)</c>, <c>• 428 (Додаев Иван) 16</c>).
    /// </summary>
    public static Party? PartyOf(Account account, string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var value = raw.TrimStart('•', ' ');
        var paren = value.IndexOf(" (", StringComparison.Ordinal);
        value = (paren > 0 ? value[..paren] : value).Trim();
        if (value.Length == 0 || !value.All(ch => char.IsAsciiDigit(ch) || ch is '+' or '-' or ' ' or '(' or ')'))
        {
            return value.Length == 0 ? null : Parties.Extension(raw, value);
        }

        // A login is the user number followed by the short number (012345101 → 101), as in the hooks.
        var userNumber = account.Setting("Sipuni:UserNumber");
        if (userNumber is not null && value.Length > userNumber.Length && value.Length <= userNumber.Length + 4
            && value.StartsWith(userNumber, StringComparison.Ordinal))
        {
            return Parties.Extension(raw, value[userNumber.Length..]);
        }

        return Parties.Number(raw, value, account.Country);
    }
}
