using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace PbxHub.Dashboard;

/// <summary>
/// The journal's "export to CSV" link is for a person who opens the file in a spreadsheet, so it asks for what the
/// page's language needs: Excel splits a double-clicked file on the locale's list separator (<c>;</c> in Russian), and
/// keeps a number's <c>+</c> and leading zeros only as text. The API's own default stays a program-friendly file
/// (docs/export.md).
/// </summary>
internal static class CsvLink
{
    public static string Href(QueryCollection apiQuery, Ui ui)
    {
        var query = apiQuery.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        query.TryAdd("delimiter", new StringValues(ui.Culture.TextInfo.ListSeparator == ";" ? "semicolon" : "comma"));
        query.TryAdd("numbers", new StringValues("text"));
        return "/api/v1/calls.csv" + DashboardFilter.QueryString(query);
    }
}
