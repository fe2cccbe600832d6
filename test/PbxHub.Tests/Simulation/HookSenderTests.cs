using System.Collections.Concurrent;
using System.Net;
using PbxHub.Simulation;
using PbxHub.Simulation.Sipuni;

namespace PbxHub.Tests.Simulation;

public sealed class HookSenderTests
{
    /// <summary>Answers like a hub would, but fails every POST with the given status.</summary>
    private sealed class RecordingHandler(HttpStatusCode postStatus) : HttpMessageHandler
    {
        public ConcurrentBag<(string Method, string Query, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add((request.Method.Method, request.RequestUri!.Query, body));
            return new HttpResponseMessage(request.Method == HttpMethod.Post ? postStatus : HttpStatusCode.OK);
        }
    }

    private static IReadOnlyList<PlannedCall> Plan(double duplicate) => TrafficPlanner.Plan(
        new SipuniScenarioGenerator("012345"), new PlanOptions(ScenarioGenerators.Mixed, 50, true, duplicate, 4), SipuniFolding.Now);

    [Fact]
    public async Task SendAsync_WithDuplicates_SendsEachRepeatTwice()
    {
        var plan = Plan(0.4);
        using var handler = new RecordingHandler(HttpStatusCode.OK);
        using var http = new HttpClient(handler);
        var progress = 0;
        var stats = await new HookSender(http, "http://hub/hooks/demo/s", 4, 0, TimeProvider.System)
            .SendAsync(plan, () => Interlocked.Increment(ref progress), CancellationToken.None);

        Assert.Equal(plan.Sum(p => p.RequestCount), stats.Sent);
        Assert.Equal(plan.Sum(p => p.Deliveries.Count(d => d.Twice)), stats.Duplicates);
        Assert.Equal(stats.Sent, handler.Requests.Count);
        Assert.Equal(stats.Sent, progress);
        Assert.Equal(0, stats.FailureCount);
        Assert.All(handler.Requests, r => Assert.Contains("call_id=", r.Method == "GET" ? r.Query : r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_HubRejects_CountsFailuresByStatus()
    {
        var plan = Plan(0);
        using var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable);
        using var http = new HttpClient(handler);
        var stats = await new HookSender(http, "http://hub/hooks/demo/s", 2, 0, TimeProvider.System)
            .SendAsync(plan, () => { }, CancellationToken.None);

        var posts = plan.SelectMany(p => p.Deliveries).Count(d => d.Request.Method == "POST");
        Assert.Equal(posts, stats.Failures["HTTP 503"]);
        Assert.Equal(posts, stats.FailureCount);
    }
}
