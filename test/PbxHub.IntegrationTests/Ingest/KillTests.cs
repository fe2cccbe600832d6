using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PbxHub.IntegrationTests.Ingest;

[CollectionDefinition(nameof(KillCollection), DisableParallelization = true)]
public sealed class KillCollection;

/// <summary>
/// The durability promise: a request answered <c>{"success": true}</c> is on disk, even when the
/// process dies by SIGKILL an instant later.
/// </summary>
[Collection(nameof(KillCollection))]
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Senders = 8;
    private const int AcksBeforeKill = 400;
    private static readonly TimeSpan MinLoadBeforeKill = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxLoadBeforeKill = TimeSpan.FromSeconds(15);

    private sealed record Acked(string CallId, string Fields, bool Post);

    [Fact]
    public async Task Serve_KilledWithSigkillUnderLoad_LosesNoAcknowledgedRequest()
    {
        using var testTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(55));
        var data = HubProcess.NewDataDirectory();
        var acked = new ConcurrentBag<Acked>();
        var failedAfterKill = 0;
        var run = Guid.NewGuid().ToString("n")[..8];

        await using (var hub = await HubProcess.StartAsync(data, HubProcess.DemoEnvironment()))
        {
            using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(testTimeout.Token);
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
            {
                BaseAddress = new Uri(hub.BaseUrl),
                Timeout = TimeSpan.FromSeconds(10),
            };
            var killed = 0;

            async Task SendAsync(int sender)
            {
                for (var call = 0; !stopSending.IsCancellationRequested; call++)
                {
                    var callId = $"kill-{run}-{sender}-{call}";
                    var from = $"8903{sender:D3}{call % 10000:D4}";
                    var start = 1_700_000_000L + call;
                    foreach (var (fields, i) in SipuniHooks.AnsweredInbound(callId, from, "84951234567", "10" + (sender % 10), start).Select((f, i) => (f, i)))
                    {
                        var post = (call + i) % 2 == 1;
                        try
                        {
                            using var response = await client.SendHookAsync(hub.HookPath, fields, post).WaitAsync(stopSending.Token);
                            var body = await response.Content.ReadAsStringAsync(stopSending.Token);
                            if (response.StatusCode == HttpStatusCode.OK && IsSuccess(body))
                            {
                                acked.Add(new Acked(callId, fields, post));
                            }
                            else
                            {
                                Assert.Fail($"answered {(int)response.StatusCode} {body} before the kill to {fields}");
                            }
                        }
                        catch (Exception ex) when (Volatile.Read(ref killed) == 1 && ex is HttpRequestException or OperationCanceledException or IOException)
                        {
                            // In flight when the process died: never acknowledged, so the provider would retry it.
                            Interlocked.Increment(ref failedAfterKill);
                            return;
                        }
                    }
                }
            }

            var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(() => SendAsync(s))).ToArray();
            var loadTime = Stopwatch.StartNew();
            // Kill once the load is well under way: at least a second and a few hundred acknowledgements (bounded).
            while ((loadTime.Elapsed < MinLoadBeforeKill || acked.Count < AcksBeforeKill) && loadTime.Elapsed < MaxLoadBeforeKill
                   && !senders.Any(t => t.IsFaulted))
            {
                await Task.Delay(50, testTimeout.Token);
            }

            Assert.DoesNotContain(senders, t => t.IsFaulted);
            var beforeKill = acked.Count;
            Volatile.Write(ref killed, 1);
            await hub.KillAsync();
            // Whatever the senders are still waiting for died with the process.
            await Task.Delay(200, testTimeout.Token);
            await stopSending.CancelAsync();
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(15), testTimeout.Token);
            output.WriteLine($"{beforeKill} acknowledged when the kill was sent, {acked.Count} in all; {failedAfterKill} requests cut off.");
        }

        Assert.True(acked.Count >= 50, $"only {acked.Count} requests were acknowledged before the kill: too little load to mean anything");
        await using var restarted = await HubProcess.StartAsync(data, HubProcess.DemoEnvironment());
        var missing = new ConcurrentBag<string>();
        var byCall = acked.GroupBy(a => a.CallId).ToList();
        await Parallel.ForEachAsync(byCall, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = testTimeout.Token }, async (group, ct) =>
        {
            var id = StableIds.CallId(HubServer.AccountId, group.Key);
            using var call = await restarted.Client.GetAsync($"/api/v1/calls/{id}", ct);
            if (call.StatusCode != HttpStatusCode.OK)
            {
                missing.Add($"call {group.Key}: GET /api/v1/calls/{id} answered {(int)call.StatusCode}");
                return;
            }

            // The record is folded in the same transaction as the raw event: an acknowledged hang-up has ended the call.
            if (group.Any(a => a.Fields.StartsWith("event=2&", StringComparison.Ordinal)))
            {
                using var record = JsonDocument.Parse(await call.Content.ReadAsStringAsync(ct));
                if (record.RootElement.Str("state") != "ended" || record.RootElement.Str("outcome") != "answered")
                {
                    missing.Add($"call {group.Key}: hang-up acknowledged but the record is {record.RootElement.Str("state")}/{record.RootElement.Str("outcome")}");
                }
            }

            using var timeline = await restarted.Client.GetAsync($"/api/v1/calls/{id}/timeline", ct);
            if (timeline.StatusCode != HttpStatusCode.OK)
            {
                missing.Add($"call {group.Key}: timeline answered {(int)timeline.StatusCode}");
                return;
            }

            using var doc = JsonDocument.Parse(await timeline.Content.ReadAsStringAsync(ct));
            var stored = doc.RootElement.GetProperty("raw").EnumerateArray()
                .Select(r => r.Str("method") == "POST" ? r.Str("body") : r.Str("query"))
                .ToHashSet();
            foreach (var request in group.Where(a => !stored.Contains(a.Fields)))
            {
                missing.Add($"call {group.Key}: acknowledged {(request.Post ? "POST" : "GET")} {request.Fields} is not in the timeline");
            }
        });

        Assert.True(missing.IsEmpty, $"{missing.Count} of {acked.Count} acknowledged requests lost:\n" + string.Join("\n", missing.Take(20)));
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private static bool IsSuccess(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
