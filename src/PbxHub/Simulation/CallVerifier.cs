using System.Net;
using System.Net.Http.Headers;
using PbxHub.Calls;

namespace PbxHub.Simulation;

/// <summary>A call whose served record is not what its scenario implies.</summary>
internal sealed record CallMismatch(string Scenario, string ProviderCallId, string Id, IReadOnlyList<string> Differences);

/// <summary>Reads each generated call back from the hub's API and compares it with its expectation.</summary>
internal sealed class CallVerifier(HttpClient http, Uri baseUrl, string apiKey, string account, int concurrency, TimeProvider time)
{
    private const int Attempts = 3;

    public async Task<IReadOnlyList<CallMismatch>> VerifyAsync(IReadOnlyList<SimulatedCall> calls, Action onCall, CancellationToken ct)
    {
        var mismatches = new List<CallMismatch>();
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (call, token) =>
        {
            var mismatch = await VerifyOneAsync(call, token);
            if (mismatch is not null)
            {
                lock (mismatches)
                {
                    mismatches.Add(mismatch);
                }
            }

            onCall();
        });
        return [.. mismatches.OrderBy(m => m.ProviderCallId, StringComparer.Ordinal)];
    }

    private async Task<CallMismatch?> VerifyOneAsync(SimulatedCall call, CancellationToken ct)
    {
        if (call.IdFromReply is { } reply)
        {
            return new CallMismatch(call.Scenario, call.ProviderCallId, "?", [$"no call id: the hub never answered the '{reply}' request"]);
        }

        var id = StableIds.CallId(account, call.ProviderCallId);
        IReadOnlyList<string> differences = [];
        // The hub folds before it acknowledges, so one read should do; the retries only absorb a busy hub.
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), time, ct);
            }

            differences = await ReadAsync(id, call.Expected, ct);
            if (differences.Count == 0)
            {
                return null;
            }
        }

        return new CallMismatch(call.Scenario, call.ProviderCallId, id, differences);
    }

    private async Task<IReadOnlyList<string>> ReadAsync(string id, ExpectedCall expected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "api/v1/calls/" + Uri.EscapeDataString(id)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return [$"GET /api/v1/calls/{id} answered HTTP {(int)response.StatusCode}"];
            }

            var record = CallJson.Deserialize<CallRecord>(await response.Content.ReadAsStringAsync(ct));
            return CallComparer.Differences(expected, record);
        }
        catch (HttpRequestException ex)
        {
            return [$"GET /api/v1/calls/{id} failed: {ex.Message}"];
        }
    }
}
