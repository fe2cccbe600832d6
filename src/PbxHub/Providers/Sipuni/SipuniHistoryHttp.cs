using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using PbxHub.Ingest;
using PbxHub.Reconciliation;

namespace PbxHub.Providers.Sipuni;

/// <summary>
/// Posts one export request through the hub's <c>outbound</c> client (its timeout; retried, as reading places no call)
/// and returns the answer as received, or throws <see cref="HistoryUnavailableException"/> when there is none to read:
/// no connection, no answer in time, an HTTP error, or an HTML page or JSON error instead of the CSV.
/// </summary>
internal static partial class SipuniHistoryHttp
{
    public static async Task<RawRequest> PostAsync(
        IHttpClientFactory http, Uri url, IReadOnlyList<KeyValuePair<string, string>> form, string shown, TimeProvider time, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.5));
        var response = await HistoryHttp.SendAsync(http, request, $"Sipuni ({url.GetLeftPart(UriPartial.Authority)}, {shown})", ct);
        var contentType = response.ContentType;
        var answer = new RawRequest("POST", contentType, "", response.Body, new Dictionary<string, string>(), RawRequest.Stamp(time));
        var text = SipuniHistoryCsv.Decode(response.Body).Trim();
        if (!response.IsSuccess)
        {
            throw new HistoryUnavailableException($"Sipuni answered HTTP {(int)response.Status} to {shown}: {Gist(text)}");
        }

        if (text.StartsWith('<') || (contentType?.Contains("html", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            throw new HistoryUnavailableException($"Sipuni answered {shown} with an HTML page instead of the CSV: {Gist(text)}");
        }

        if (text.StartsWith('{') || text.StartsWith('['))
        {
            throw new HistoryUnavailableException($"Sipuni refused {shown}: {Gist(text)}");
        }

        return answer;
    }

    /// <summary>What an error answer says, short: a JSON <c>message</c>/<c>error</c>, an HTML title, else its first words.</summary>
    private static string Gist(string text)
    {
        if (text.Length == 0)
        {
            return "(empty answer)";
        }

        if (text.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                foreach (var name in (string[])["message", "error", "msg"])
                {
                    if (json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        return value.GetString()!;
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: its first words below.
            }
        }

        var plain = Tags().Replace(TitleOf(text) ?? text, " ");
        plain = Spaces().Replace(plain, " ").Trim();
        return plain.Length <= 200 ? plain : plain[..200] + "…";
    }

    private static string? TitleOf(string html) => TitlePattern().Match(html) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TitlePattern();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
