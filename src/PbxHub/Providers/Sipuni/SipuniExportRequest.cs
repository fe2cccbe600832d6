using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PbxHub.Providers.Sipuni;

/// <summary>
/// One <c>statistic/export</c> request: a day's calls, all types and states, with the outgoing line and scheme columns.
/// Its <c>hash</c> is the MD5 of the values of every parameter sent, in the alphabetical order of their names
/// (<c>user</c> among them), joined by <c>+</c>, followed by <c>+</c> and the secret (docs/providers/sipuni.md, "Call history").
/// </summary>
internal static class SipuniExportRequest
{
    public const string Path = "statistic/export";

    /// <summary>The form's fields in the order they are sent (hash last).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Form(string user, string secret, DateOnly day)
    {
        var date = day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            // 0 = anonymous callers included: the history must have every call.
            ["anonymous"] = "0",
            ["firstTime"] = "0",
            ["from"] = date,
            ["fromNumber"] = "",
            ["numbersInvolved"] = "0",
            ["numbersRinged"] = "0",
            ["outgoingLine"] = "1",
            ["showTreeId"] = "1",
            ["state"] = "0",
            ["timeFrom"] = "00:00",
            ["timeTo"] = "23:59",
            ["to"] = date,
            ["toAnswer"] = "",
            ["toNumber"] = "",
            ["tree"] = "",
            ["type"] = "0",
            ["user"] = user,
        };
        return [.. fields, new("hash", Hash(fields, secret))];
    }

    /// <summary>MD5 (lower-case hex) of the values ordered by name, joined by <c>+</c>, then <c>+</c> and the secret.</summary>
    public static string Hash(IEnumerable<KeyValuePair<string, string>> fields, string secret)
    {
        var values = fields.Where(f => f.Key != "hash").OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value).Append(secret);
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(string.Join('+', values))));
    }

    /// <summary>The request as the run's log shows it: no hash, no secret.</summary>
    public static string Shown(string user, DateOnly day) =>
        $"{Path} user={user} from={day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)} to={day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}";
}
