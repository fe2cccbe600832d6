using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Telemetry;

namespace PbxHub.IntegrationTests.Telemetry;

/// <summary>OpenTelemetry tracing over OTLP to a stand-in collector: a hook followed from the request to its delivery.</summary>
public sealed class TracingTests
{
    private static readonly string FirstExampleEvent = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sipuni-transfer-example.txt"))[0]
        .Split('?', 2)[1];

    [Fact]
    public async Task Tracing_HookWithTraceparent_StoreCommitFoldAndDeliveryLinkedToIt()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Tracing:OtlpEndpoint"] = collector.Url,
            ["PbxHub:Tracing:ServiceName"] = "pbxhub-under-test",
        });
        await hub.Client.SubscribeAsync(subscriber.Url);

        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var hook = new HttpRequestMessage(HttpMethod.Get, hub.HookPath + "?" + FirstExampleEvent);
        hook.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        (await hub.Client.SendAsync(hook)).EnsureSuccessStatusCode();
        await Webhooks.WaitUntilAsync(() => !subscriber.Received.IsEmpty, "a webhook arrived");

        // Spans of every hub in this test process reach the collector: ours are told apart by the trace id and the links.
        ExportedSpan? store = null, fold = null, deliver = null;
        await Webhooks.WaitUntilAsync(() =>
        {
            hub.Services.GetRequiredService<TracerProvider>().ForceFlush(5000);
            var spans = collector.Spans.ToList();
            store = spans.FirstOrDefault(s => s.Name == HubTracing.Store && s.TraceId == traceId);
            fold = store is null ? null : spans.FirstOrDefault(s => s.Name == HubTracing.Fold && s.Links.Contains((traceId, store.SpanId)));
            deliver = fold is null ? null : spans.FirstOrDefault(s => s.Name == HubTracing.Deliver && s.Links.Contains((fold.TraceId, fold.SpanId)));
            return deliver is not null;
        }, "the delivery's span, linked to the fold of the hook's call, was exported");

        var all = collector.Spans.ToList();
        Assert.Single(all, s => s.Name == HubTracing.Store && s.TraceId == traceId);
        // The store span is a child of the request's server span, which continues the provider's traceparent.
        Assert.Contains(all, s => s.TraceId == traceId && s.SpanId == store!.ParentSpanId);
        Assert.Contains(all, s => s.Name == HubTracing.Commit && s.Links.Contains((traceId, store!.SpanId)));
        Assert.Single(all, s => s.Name == HubTracing.Fold && s.Links.Contains((traceId, store!.SpanId)));
        // The webhook's own HTTP request is a child of the delivery's span.
        Assert.Contains(all, s => s.TraceId == deliver!.TraceId && s.ParentSpanId == deliver.SpanId);
        Assert.Contains("pbxhub-under-test", collector.ServiceNames);
    }

    [Theory]
    [InlineData("not-a-url")]
    [InlineData("ftp://collector:4318")]
    public async Task Tracing_EndpointNotHttpUrl_StartRefusedNamingTheSetting(string endpoint)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            HubServer.StartAsync(new Dictionary<string, string> { ["PbxHub:Tracing:OtlpEndpoint"] = endpoint }));
        Assert.Contains("PbxHub:Tracing:OtlpEndpoint", error.Message, StringComparison.Ordinal);
    }
}
