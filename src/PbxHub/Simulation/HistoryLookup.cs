using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Simulation;

/// <summary>
/// Finds in the journal the call a history row built when the simulator cannot name its id: the events never came
/// (Evrotel's id is the hub's answer to them), or the reconciler keyed the call by the row (docs/simulate.md). The call
/// is the one of the account that started in the row's second, in its direction, from the row's caller.
/// </summary>
internal sealed class HistoryLookup(HttpClient http, Uri baseUrl, string apiKey, string account)
{
    /// <summary>The call's record, or neither record nor problem when the journal has none.</summary>
    public async Task<ReadCall> FindAsync(HistoryCall row, CancellationToken ct)
    {
        var since = CallJson.Utc(row.StartedAt);
        var until = CallJson.Utc(row.StartedAt.AddSeconds(1));
        var path = string.Create(CultureInfo.InvariantCulture,
            $"api/v1/calls?account={Uri.EscapeDataString(account)}&since={Uri.EscapeDataString(since)}&until={Uri.EscapeDataString(until)}&direction={row.Direction}&limit=100");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return new ReadCall(null, false, $"GET /{path} answered HTTP {(int)response.StatusCode}");
            }

            using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            // The caller decides; the called party only between two callers in one second (an inbound call's To may be the line or the extension).
            var callers = page.RootElement.GetProperty("items").EnumerateArray().Select(ReadCall.Of).Where(c => Same(c.Record!.From, row.From)).ToList();
            return callers.FirstOrDefault(c => Same(c.Record!.To, row.To)) ?? callers.FirstOrDefault() ?? new ReadCall(null, false, null);
        }
        catch (HttpRequestException ex)
        {
            return new ReadCall(null, false, $"GET /{path} failed: {ex.Message}");
        }
    }

    /// <summary>
    /// The calls the history built in [<paramref name="since"/>, <paramref name="until"/>) that no simulated call is:
    /// a call reconciled twice, or made again beside the one its events built.
    /// </summary>
    public async Task<IReadOnlyList<CallMismatch>> ExtrasAsync(DateTimeOffset since, DateTimeOffset until, IReadOnlySet<string> claimed, CancellationToken ct)
    {
        var extras = new List<CallMismatch>();
        string? cursor = null;
        do
        {
            var path = $"api/v1/calls?account={Uri.EscapeDataString(account)}&since={Uri.EscapeDataString(CallJson.Utc(since))}&until={Uri.EscapeDataString(CallJson.Utc(until))}&limit=1000"
                + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            try
            {
                using var response = await http.SendAsync(request, ct);
                if (!response.IsSuccessStatusCode)
                {
                    return [.. extras, new CallMismatch("(journal)", "", "", [$"GET /{path} answered HTTP {(int)response.StatusCode}"])];
                }

                using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                extras.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(ReadCall.Of)
                    .Where(c => c.FromHistory && !claimed.Contains(c.Record!.Id)).Select(c => Extra(c.Record!)));
                cursor = page.RootElement.GetProperty("nextCursor").GetString();
            }
            catch (HttpRequestException ex)
            {
                return [.. extras, new CallMismatch("(journal)", "", "", [$"GET /{path} failed: {ex.Message}"])];
            }
        }
        while (cursor is not null);
        return extras;
    }

    private static CallMismatch Extra(CallRecord call) => new("(none of ours)", call.ProviderCallId, call.Id,
        [$"an extra call built from the history: started {CallJson.Utc(call.StartedAt)} from {CallComparer.NameOf(call.From)} to {CallComparer.NameOf(call.To)}"]);

    /// <summary>
    /// A party the hub wrote (E.164, an extension) and the provider's own writing of it (0501234567, 79161234567, 101)
    /// are the same when their last digits agree: nine, the national part of the numbers simulated, or all of a shorter one.
    /// </summary>
    public static bool Same(Party? party, string written)
    {
        var recorded = Digits(party?.Number ?? party?.Extension ?? party?.Raw);
        var provider = Digits(written);
        return recorded.Length >= 9 && provider.Length >= 9
            ? recorded[^9..] == provider[^9..]
            : recorded.Length > 0 && recorded == provider;
    }

    private static string Digits(string? text) => new([.. (text ?? "").Where(char.IsAsciiDigit)]);
}
