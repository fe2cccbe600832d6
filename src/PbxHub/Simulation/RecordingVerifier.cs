using System.Net;
using System.Net.Http.Headers;
using PbxHub.Calls;

namespace PbxHub.Simulation;

/// <summary>
/// <c>--verify</c> with <c>--serve-recordings</c>: every recording the simulator served was kept and reads back byte for
/// byte through the API; one that answered an HTML page was never kept.
/// </summary>
internal sealed class RecordingVerifier(HttpClient http, Uri baseUrl, string apiKey, string account, int concurrency, TimeSpan wait, TimeProvider time)
{
    public async Task<IReadOnlyList<CallMismatch>> VerifyAsync(IReadOnlyList<SimulatedCall> calls, CancellationToken ct)
    {
        var mismatches = new List<CallMismatch>();
        var deadline = time.GetUtcNow() + wait;
        var recorded = calls.Where(c => c.Expected.RecordingUrl is not null).ToList();
        await Parallel.ForEachAsync(recorded, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (call, token) =>
        {
            var id = StableIds.CallId(account, call.ProviderCallId);
            if (await CheckAsync(id, call.Expected.RecordingUrl!, deadline, token) is { } problem)
            {
                lock (mismatches)
                {
                    mismatches.Add(new CallMismatch(call.Scenario, call.ProviderCallId, id, [problem]));
                }
            }
        });
        return [.. mismatches.OrderBy(m => m.ProviderCallId, StringComparer.Ordinal)];
    }

    private async Task<string?> CheckAsync(string id, string link, DateTimeOffset deadline, CancellationToken ct)
    {
        var linkId = Path.GetFileNameWithoutExtension(new Uri(link).AbsolutePath);
        var kind = RecordingServer.KindOf(linkId);
        while (true)
        {
            var record = await GetAsync<CallRecord>($"api/v1/calls/{id}", ct);
            var state = record?.Recording?.State;
            if (kind == RecordingServer.Html)
            {
                // Retried on the hub's schedule: never kept is what can be checked within the wait.
                return state == RecordingStates.Kept ? $"recording: kept from a link that answered an HTML page" : null;
            }

            if (state == RecordingStates.Kept)
            {
                var bytes = await GetBytesAsync($"api/v1/calls/{id}/recording", ct);
                return bytes is not null && bytes.AsSpan().SequenceEqual(RecordingServer.Wav(linkId)) ? null : "recording: the kept file differs from the one served";
            }

            if (state == RecordingStates.Failed || time.GetUtcNow() > deadline)
            {
                return $"recording: {state ?? "none"} instead of kept{(record?.Recording?.Reason is { } reason ? $" ({reason})" : "")}";
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct);
        }
    }

    private async Task<T?> GetAsync<T>(string path, CancellationToken ct) =>
        await GetBytesAsync(path, ct) is { } body ? CallJson.Deserialize<T>(System.Text.Encoding.UTF8.GetString(body)) : default;

    private async Task<byte[]?> GetBytesAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request, ct);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsByteArrayAsync(ct) : null;
    }
}
