using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PbxHub.Calls;

namespace PbxHub.Simulation;

/// <summary>A call whose served record is not what its scenario implies.</summary>
internal sealed record CallMismatch(string Scenario, string ProviderCallId, string Id, IReadOnlyList<string> Differences);

/// <summary>
/// A call to read back, and how. <paramref name="History"/> set: the call is right only as the provider's history made it
/// after reconciliation (<see cref="HistoryExpectation"/>); <paramref name="Reconciled"/>: a reconciliation ran, so a
/// call its events made whole must not carry <c>fromHistory</c>.
/// </summary>
internal sealed record CallCheck(SimulatedCall Call, CallLoss Loss = CallLoss.None, HistoryShape? History = null, bool Reconciled = false);

/// <summary>Reads each generated call back from the hub's API and compares it with its expectation.</summary>
internal sealed class CallVerifier(HttpClient http, Uri baseUrl, string apiKey, string account, int concurrency, TimeProvider time)
{
    private const int Attempts = 3;

    private readonly ConcurrentDictionary<string, bool> claimed = new(StringComparer.Ordinal);

    /// <summary>The ids of the records the verified calls were read from.</summary>
    public IReadOnlySet<string> Claimed => claimed.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>A call built from the history may still be on its way through the fold when the run's answer comes.</summary>
    private const int HistoryAttempts = 10;

    public Task<IReadOnlyList<CallMismatch>> VerifyAsync(IReadOnlyList<SimulatedCall> calls, Action onCall, CancellationToken ct) =>
        VerifyAsync([.. calls.Select(c => new CallCheck(c))], onCall, ct);

    public async Task<IReadOnlyList<CallMismatch>> VerifyAsync(IReadOnlyList<CallCheck> calls, Action onCall, CancellationToken ct)
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

    private async Task<CallMismatch?> VerifyOneAsync(CallCheck check, CancellationToken ct)
    {
        var call = check.Call;
        if (call.IdFromReply is { } reply && check.History is null)
        {
            return new CallMismatch(call.Scenario, call.ProviderCallId, "?", [$"no call id: the hub never answered the '{reply}' request"]);
        }

        // A call never announced has no id from its events: the history's row built it, found by its start and numbers.
        var id = call.IdFromReply is null ? StableIds.CallId(account, call.ProviderCallId) : null;
        var shown = id ?? "?";
        IReadOnlyList<string> differences = [];
        for (var attempt = 0; attempt < (check.History is null ? Attempts : HistoryAttempts); attempt++)
        {
            if (attempt > 0)
            {
                // The hub folds before it acknowledges, so one read should do; the retries only absorb a busy hub.
                await Task.Delay(TimeSpan.FromMilliseconds(check.History is null ? 300 : 500), time, ct);
            }

            var read = id is null ? null : await ReadAsync(id, ct);
            if (check.History is not null && read is null or { Record: null, Problem: null })
            {
                read = await new HistoryLookup(http, baseUrl, apiKey, account).FindAsync(call.History!, ct);
            }

            if (read?.Record is { } found)
            {
                claimed[found.Id] = true;
                shown = found.Id;
            }

            differences = read switch
            {
                { Problem: { } problem } => [problem],
                { Record: { } record } when check.History is { } shape => HistoryExpectation.Differences(call, shape, record, read.FromHistory),
                { Record: { } record } => check.Reconciled ? HistoryExpectation.Untouched(call.Expected, record, read.FromHistory) : CallComparer.Differences(call.Expected, record),
                _ when check.History is null => [$"GET /api/v1/calls/{id} answered HTTP 404"],
                _ => [$"missing: no call of the journal started at {CallJson.Utc(call.History!.StartedAt)} from {call.History.From} to {call.History.To}"],
            };
            if (differences.Count == 0)
            {
                return null;
            }
        }

        var name = call.IdFromReply is null ? call.ProviderCallId : $"never sent, started {CallJson.Utc(call.Expected.StartedAt ?? default)}";
        return new CallMismatch(call.Scenario, name, shown, [.. (check.Loss == CallLoss.None ? [] : new[] { LossNote(check.Loss) }), .. differences]);
    }

    private static string LossNote(CallLoss loss) => loss == CallLoss.Whole ? "(its events were all dropped on purpose)" : "(its hang-ups were dropped on purpose)";

    /// <summary>The call by its id: the record, or neither record nor problem when the hub has no such call.</summary>
    private async Task<ReadCall> ReadAsync(string id, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "api/v1/calls/" + Uri.EscapeDataString(id)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new ReadCall(null, false, null);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new ReadCall(null, false, $"GET /api/v1/calls/{id} answered HTTP {(int)response.StatusCode}");
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return ReadCall.Of(json.RootElement);
        }
        catch (HttpRequestException ex)
        {
            return new ReadCall(null, false, $"GET /api/v1/calls/{id} failed: {ex.Message}");
        }
    }
}

/// <summary>One call as the API served it: its record and whether the history built or completed it (<c>fromHistory</c>).</summary>
internal sealed record ReadCall(CallRecord? Record, bool FromHistory, string? Problem)
{
    /// <summary>
    /// <c>fromHistory</c> is read from the JSON itself: a hub that does not write it has no reconciliation, so its absence
    /// means false.
    /// </summary>
    public static ReadCall Of(JsonElement call) => new(
        CallJson.Deserialize<CallRecord>(call.GetRawText()),
        call.TryGetProperty("fromHistory", out var flag) && flag.ValueKind == JsonValueKind.True,
        null);
}
