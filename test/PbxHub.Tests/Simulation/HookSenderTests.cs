using System.Collections.Concurrent;
using System.Net;
using PbxHub.Providers.Sipuni.Simulator;
using PbxHub.Simulation;

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

    [Fact]
    public async Task SendAsync_HubQuarantines_CountedAsFailuresThoughAnswered200()
    {
        var plan = Plan(0);
        using var handler = new QuarantiningHandler();
        using var http = new HttpClient(handler);
        var stats = await new HookSender(http, "http://hub/hooks/demo/s", 2, 0, TimeProvider.System)
            .SendAsync(plan, () => { }, CancellationToken.None);

        Assert.Equal(plan.Sum(p => p.RequestCount), stats.Failures["quarantined"]);
    }

    /// <summary>The hub's answer to a Sipuni request it stored in quarantine (docs/quarantine.md), to every request.</summary>
    private sealed class QuarantiningHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"success":true,"quarantined":true,"error":"unknown event '9' (expected 1, 2, 3 or 4)"}"""),
            });
    }

    /// <summary>
    /// Answers like the hub's Evrotel endpoint: a start with an id (a fresh one per request when <paramref name="stable"/>
    /// is false, as a hub that forgot retries would), an end with OK; it notes each end's callid and Authorization.
    /// </summary>
    private sealed class EvrotelHandler(bool stable) : HttpMessageHandler
    {
        private int issued;

        public ConcurrentBag<(string? CallId, string? Authorization, string? ContentType)> Ends { get; } = [];

        public ConcurrentDictionary<string, string> IdsByStart { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var fields = body.StartsWith('{')
                ? System.Text.Json.JsonDocument.Parse(body).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
                : Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body).ToDictionary(kv => kv.Key, kv => (string)kv.Value!);
            if (fields["callstatus"] == "end")
            {
                Ends.Add((fields["callid"], request.Headers.Authorization?.ToString(), request.Content.Headers.ContentType?.MediaType));
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("OK") };
            }

            var key = fields["numberA"] + fields["numberB"] + fields.GetValueOrDefault("date") + fields.GetValueOrDefault("calldate");
            var fresh = (100_000_000_000_000L + Interlocked.Increment(ref issued)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var id = stable ? IdsByStart.GetOrAdd(key, fresh) : IdsByStart[key] = fresh;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(id) };
        }
    }

    private static IReadOnlyList<PlannedCall> EvrotelPlan(double duplicate) => TrafficPlanner.Plan(
        ScenarioGenerators.Find("evrotel", new GeneratorSettings("012345"))!, new PlanOptions(ScenarioGenerators.Mixed, 60, true, duplicate, 6), SipuniFolding.Now);

    [Fact]
    public async Task SendAsync_Evrotel_EndCarriesTheIdTheStartGotAndTheTokenHeader()
    {
        var plan = EvrotelPlan(0.3);
        using var handler = new EvrotelHandler(stable: true);
        using var http = new HttpClient(handler);
        var stats = await new HookSender(http, "http://hub/hooks/kyiv", 4, 0, TimeProvider.System, new Dictionary<string, string> { ["Authorization"] = "tok" })
            .SendAsync(plan, () => { }, CancellationToken.None);

        Assert.Equal(0, stats.FailureCount);
        Assert.Equal(plan.Count, handler.IdsByStart.Count);
        Assert.Equal(plan.Sum(p => p.Deliveries.Where(d => d.Request.Needs is not null).Sum(d => d.Twice ? 2 : 1)), handler.Ends.Count);
        Assert.All(handler.Ends, e => Assert.Equal("tok", e.Authorization));
        Assert.Contains(handler.Ends, e => e.ContentType == "application/json");
        Assert.Contains(handler.Ends, e => e.ContentType == "application/x-www-form-urlencoded");
        var resolved = plan.Select((p, i) => p.Call.Resolve(stats.Replies[i]).ProviderCallId).ToList();
        Assert.Equal(handler.IdsByStart.Values.Order(), resolved.Order());
        Assert.Equal(handler.Ends.Select(e => e.CallId).Distinct().Order(), resolved.Order());
    }

    [Fact]
    public async Task SendAsync_RetriedStartGetsAnotherId_CountedAsFailure()
    {
        var plan = EvrotelPlan(0);
        using var handler = new EvrotelHandler(stable: false);
        using var http = new HttpClient(handler);
        var stats = await new HookSender(http, "http://hub/hooks/kyiv", 4, 0, TimeProvider.System).SendAsync(plan, () => { }, CancellationToken.None);

        var retried = plan.Count(p => p.Deliveries.Count(d => d.Request.RepliesAs is not null) == 2);
        Assert.True(retried > 0);
        Assert.Equal(retried, stats.Failures["a repeated 'start' got another reply"]);
    }

    [Fact]
    public async Task SendAsync_StartRejected_EndNotSentAndCallUnresolved()
    {
        var plan = EvrotelPlan(0);
        using var handler = new RecordingHandler(HttpStatusCode.Forbidden);
        using var http = new HttpClient(handler);
        var stats = await new HookSender(http, "http://hub/hooks/kyiv", 4, 0, TimeProvider.System).SendAsync(plan, () => { }, CancellationToken.None);

        Assert.Equal(plan.Count, stats.Failures["not sent: no reply to 'start' to fill in"]);
        Assert.DoesNotContain(handler.Requests, r => r.Body.Contains("callstatus\":\"end", StringComparison.Ordinal) || r.Body.Contains("callstatus=end", StringComparison.Ordinal));
        Assert.NotNull(plan[0].Call.Resolve(stats.Replies[0]).IdFromReply);
    }
}
