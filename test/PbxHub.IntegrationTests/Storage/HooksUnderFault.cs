using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Fuzzing;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>
/// Sipuni hooks, each a new call, sent without pause by a few senders while a test breaks the storage under them and
/// mends it. Every answer is sorted: acknowledged (200, <c>success: true</c>), refused for a retry (503,
/// <c>Retry-After: 5</c>, <c>success: false</c>) or wrong (anything else, or a broken connection).
/// </summary>
internal sealed class HooksUnderFault : IAsyncDisposable
{
    private readonly HubServer hub;
    private readonly string prefix;
    private readonly ConcurrentQueue<string> acknowledged = new();
    private readonly ConcurrentQueue<string> refused = new();
    private readonly ConcurrentQueue<string> wrong = new();
    private readonly Task[] senders;
    private volatile bool stopping;
    private int next;

    private HooksUnderFault(HubServer hub, string prefix, int count)
    {
        this.hub = hub;
        this.prefix = prefix;
        senders = [.. Enumerable.Range(0, count).Select(_ => Task.Run(SendAsync))];
    }

    public int Acknowledged => acknowledged.Count;

    public int Refused => refused.Count;

    public static HooksUnderFault Start(HubServer hub, string prefix, int senders = 4) => new(hub, prefix, senders);

    /// <summary>
    /// Stops the senders (each request sent gets its answer), then asserts that every answer was one of the two,
    /// that every acknowledged hook's call can be read, and that the providers' retries of the refused ones are
    /// acknowledged and readable too: nothing acknowledged was lost, nothing refused is missing in the end.
    /// </summary>
    public async Task StopAndAssertAllStoredAsync()
    {
        await DisposeAsync();
        Assert.True(wrong.IsEmpty, $"{wrong.Count} answers neither acknowledged nor refused for a retry:\n{string.Join("\n", wrong.Take(10))}");

        // The providers' retries, once the fault is over.
        var notRetried = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(refused, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (key, _) =>
        {
            if (await AnswerAsync(key) is var answer && answer != Answer.Acknowledged)
            {
                notRetried.Enqueue($"{key}: {answer}");
            }
        });
        Assert.True(notRetried.IsEmpty, $"{notRetried.Count} retries not acknowledged:\n{string.Join("\n", notRetried.Take(10))}");

        var missing = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(acknowledged.Concat(refused), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (key, _) =>
        {
            using var call = await hub.Client.GetAsync($"/api/v1/calls/{StableIds.CallId(HubServer.AccountId, key)}");
            if (call.StatusCode != HttpStatusCode.OK)
            {
                missing.Enqueue($"{key}: {(int)call.StatusCode}");
            }
        });
        Assert.True(missing.IsEmpty, $"{missing.Count} of {acknowledged.Count} acknowledged and {refused.Count} retried hooks have no call:\n"
            + string.Join("\n", missing.Take(10)));
    }

    /// <summary>
    /// The end of every fault under traffic: all stored in the end (<see cref="StopAndAssertAllStoredAsync"/>), some
    /// refused while the storage failed, the node ready again, and the fault told once in the log.
    /// </summary>
    public async Task AssertStoredRefusedAndRecoveredAsync(CapturedLogs logs)
    {
        await StopAndAssertAllStoredAsync();
        Assert.True(Refused > 0, "no hook was refused while writes failed");
        using (var ready = await hub.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var fault = Assert.Single(logs.Unhandled);
        Assert.StartsWith("Storage fault", fault.Message, StringComparison.Ordinal);
    }

    /// <summary>Stops the senders; a test that failed half-way must not leave them sending to a hub that is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        stopping = true;
        await Task.WhenAll(senders);
    }

    private async Task SendAsync()
    {
        while (!stopping)
        {
            var key = $"{prefix}-{Interlocked.Increment(ref next)}";
            var answer = await AnswerAsync(key);
            if (answer == Answer.Acknowledged)
            {
                acknowledged.Enqueue(key);
            }
            else if (answer == Answer.Refused)
            {
                refused.Enqueue(key);
                // A provider waits before it sends again; without a pause the refusals would only heat the machine.
                await Task.Delay(20);
            }
            else
            {
                wrong.Enqueue($"{key}: {answer}");
            }
        }
    }

    private async Task<string> AnswerAsync(string key)
    {
        try
        {
            using var response = await hub.Client.GetAsync(
                $"/hooks/{HubServer.AccountId}/{HubServer.Secret}?" + SipuniHooks.Arrival(key, "89031234567", "84951234567", 1_700_000_000));
            var text = await response.Content.ReadAsStringAsync();
            var success = Success(response, text);
            return (response.StatusCode, success, response.Headers.RetryAfter?.Delta) switch
            {
                (HttpStatusCode.OK, true, _) => Answer.Acknowledged,
                (HttpStatusCode.ServiceUnavailable, false, { TotalSeconds: 5 }) => Answer.Refused,
                var (status, _, retryAfter) => $"{(int)status} Retry-After {retryAfter}: {text}",
            };
        }
        catch (HttpRequestException ex)
        {
            return $"no answer: {ex.Message}";
        }
    }

    private static bool? Success(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.TryGetProperty("success", out var success) ? success.GetBoolean() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static class Answer
    {
        public const string Acknowledged = "acknowledged";
        public const string Refused = "refused";
    }
}
