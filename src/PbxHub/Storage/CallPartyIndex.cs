using PbxHub.Calls;

namespace PbxHub.Storage;

/// <summary>
/// The values a call can be found by: every party in every shape (raw, digits, E.164 with and
/// without '+', extension), so a search for 89031234567 finds +79031234567 and back.
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

    public static IEnumerable<string> FormsOf(Party party)
    {
        yield return party.Raw;
        var digits = new string(party.Raw.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length > 0)
        {
            yield return digits;
        }

        if (party.Number is { } number)
        {
            yield return number;
            yield return number.TrimStart('+');
        }

        if (party.Extension is { } extension)
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
