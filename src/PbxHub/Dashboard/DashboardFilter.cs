using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using PbxHub.Accounts;

namespace PbxHub.Dashboard;

/// <summary>
/// The filter form's values as the API's query: a date picked for <c>since</c>/<c>until</c> is a whole
/// day in the account's time zone (until inclusive), so the journal, its CSV and the statistics agree.
/// </summary>
internal static class DashboardFilter
{
    public static QueryCollection ToApiQuery(IQueryCollection form, IReadOnlyList<Account> accounts, bool keepPaging = false)
    {
        var zone = Zone(form["account"].ToString(), accounts);
        var result = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in form)
        {
            if (string.IsNullOrEmpty(value) || (!keepPaging && key is "cursor" or "limit"))
            {
                continue;
            }

            result[key] = key switch
            {
                "since" => Day(value.ToString(), zone, 0),
                "until" => Day(value.ToString(), zone, 1),
                _ => value,
            };
        }

        return new QueryCollection(result);
    }

    public static string QueryString(IEnumerable<KeyValuePair<string, StringValues>> query) =>
        Microsoft.AspNetCore.Http.QueryString.Create(query.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value.ToString()))).Value ?? "";

    /// <summary>The zone the dates are read in: the chosen account's, else the one all accounts share, else UTC.</summary>
    public static TimeZoneInfo Zone(string? account, IReadOnlyList<Account> accounts) => Api.CallStats.ZoneOf(account, accounts);

    private static string Day(string text, TimeZoneInfo zone, int addDays)
    {
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return text; // a full ISO time from a link: the API's parser judges it
        }

        var local = day.AddDays(addDays).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }
}
