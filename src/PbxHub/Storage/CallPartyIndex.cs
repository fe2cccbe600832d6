using PbxHub.Calls;

namespace PbxHub.Storage;

/// <summary>
/// The values a call can be found by: every party under its raw text, E.164 number and extension;
/// a search is turned into the same shapes, so 89031234567 finds +79031234567 and back.
/// </summary>
internal static class CallPartyIndex
{
    public const string AnyParty = "party";
    public const string AnsweredBy = "answered_by";

    public static IEnumerable<(string Value, string Role)> Of(CallRecord call)
    {
        var parties = new[] { call.From, call.To, call.Line, call.AnsweredBy, call.EndedWith }
            .Concat(call.Legs.Select(l => l.Party))
            .Concat(call.Transfers.SelectMany(t => new[] { t.From, t.To }));
        var all = parties.OfType<Party>().SelectMany(FormsOf).Select(v => (v, AnyParty));
        var answered = call.AnsweredBy is null ? [] : FormsOf(call.AnsweredBy).Select(v => (v, AnsweredBy));
        return all.Concat(answered).Distinct();
    }

    /// <summary>Fills <c>answered_numbers</c> from the stored calls (migrations, and bulk loads that write calls directly).</summary>
    public const string FillAnsweredNumbers =
        """
        INSERT INTO answered_numbers (account, value, last_started_at)
            SELECT c.account, p.value, MAX(c.started_at) FROM call_parties p JOIN calls c ON c.id = p.call_id
            WHERE p.role = 'party' AND c.outcome = 'answered' GROUP BY c.account, p.value
        """;

    /// <summary>
    /// The values of an answered call's parties, sorted: each number then counts as returned for the missed calls before
    /// this one (the store keeps the latest start per number). Empty for a call not answered.
    /// </summary>
    public static IReadOnlyList<string> AnsweredNumbers(CallRecord call, IEnumerable<(string Value, string Role)> parties) =>
        call.Outcome == Outcomes.Answered
            ? parties.Where(p => p.Role == AnyParty).Select(p => p.Value).Distinct().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>A fingerprint of a call's index entries, stored with the call, to tell whether they changed.</summary>
    public static string Hash(IEnumerable<(string Value, string Role)> parties) =>
        StableIds.Hash(string.Join('\n', parties.Select(p => p.Role + ":" + p.Value).Order(StringComparer.Ordinal)));

    /// <summary>A party is stored under its raw text, its E.164 number and its extension; a search is widened instead.</summary>
    public static IEnumerable<string> FormsOf(Party party)
    {
        yield return party.Raw;
        if (party.Number is { } number && number != party.Raw)
        {
            yield return number;
        }

        if (party.Extension is { } extension && extension != party.Raw)
        {
            yield return extension;
        }
    }

    /// <summary>The shapes a user's search text can match.</summary>
    public static IReadOnlyList<string> FormsOfQuery(string text, string country)
    {
        var trimmed = text.Trim();
        var forms = new List<string> { trimmed };
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length > 0)
        {
            forms.Add(digits);
        }

        if (Parties.ToE164(trimmed, country) is { } e164)
        {
            forms.Add(e164);
            forms.Add(e164.TrimStart('+'));
        }

        return forms.Distinct().ToList();
    }
}
