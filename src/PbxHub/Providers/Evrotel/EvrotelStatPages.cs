using System.Globalization;
using PbxHub.Reconciliation;

namespace PbxHub.Providers.Evrotel;

/// <summary>
/// Where Evrotel's statistics pages are and how they are asked for (docs/providers/evrotel.md#call-history):
/// <c>{Evrotel:StatUrl}/statusers/stat_{billcode}.php?billcode={billcode}&amp;start={YYYY-MM-DD}</c>, a GET without
/// credentials, one day of Evrotel's wall clock per page, as the public integration asks for them.
/// </summary>
internal static class EvrotelStatPages
{
    /// <summary>
    /// The page of <paramref name="day"/>. <c>Evrotel:StatUrl</c> is either the site (<c>https://callme.sipiko.net/</c>,
    /// the integration's default) or a page itself (its path ending <c>.php</c>, as Evrotel's manager may hand it
    /// out); null when it is no absolute http or https URL.
    /// </summary>
    public static Uri? PageUrl(string statUrl, string billCode, DateOnly day)
    {
        if (!Uri.TryCreate(statUrl.Trim(), UriKind.Absolute, out var root) || root.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var page = new UriBuilder(root);
        if (!page.Path.EndsWith(".php", StringComparison.OrdinalIgnoreCase))
        {
            page.Path = page.Path.TrimEnd('/') + $"/statusers/stat_{Uri.EscapeDataString(billCode)}.php";
        }

        var query = page.Query.TrimStart('?');
        page.Query = (query.Length > 0 ? query + "&" : "")
            + $"billcode={Uri.EscapeDataString(billCode)}&start={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        return page.Uri;
    }

    /// <summary>The days of Evrotel's wall clock (the account's zone) that [since, until) touches, oldest first.</summary>
    public static IEnumerable<DateOnly> Days(DateTimeOffset since, DateTimeOffset until, TimeZoneInfo zone)
    {
        if (until <= since)
        {
            yield break;
        }

        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(until.AddTicks(-1), zone).DateTime);
        for (var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(since, zone).DateTime); day <= last; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>
    /// One page through the hub's outbound client (timeout, retries of requests that place no call). No answer, or
    /// an answer other than 2xx, means the history cannot be read now.
    /// </summary>
    public static async Task<(byte[] Body, string? ContentType)> GetAsync(IHttpClientFactory http, Uri url, DateOnly day, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var shown = url.GetLeftPart(UriPartial.Path);
        var answer = await HistoryHttp.SendAsync(http, request, $"Evrotel's statistics page {shown}", ct);
        if (!answer.IsSuccess)
        {
            throw new HistoryUnavailableException(
                $"Evrotel's statistics page {shown} answered HTTP {(int)answer.Status} for {day:yyyy-MM-dd}: check Evrotel:StatUrl and Evrotel:BillCode");
        }

        return (answer.Body, answer.ContentType);
    }
}
