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

        ExportedSpan? deliver = null;
        await Webhooks.WaitUntilAsync(() =>
        {
            hub.Services.GetRequiredService<TracerProvider>().ForceFlush(5000);
            deliver = collector.Spans.FirstOrDefault(s => s.Name == HubTracing.Deliver);
            return deliver is not null;
        }, "the delivery's span was exported");

        var spans = collector.Spans.ToList();
        var store = Assert.Single(spans, s => s.Name == HubTracing.Store);
        Assert.Equal(traceId, store.TraceId);
        Assert.Contains(spans, s => s.TraceId == traceId && s.SpanId == store.ParentSpanId);
        var served = (traceId, store.SpanId);
        Assert.Contains(spans, s => s.Name == HubTracing.Commit && s.Links.Contains(served));
        var fold = Assert.Single(spans, s => s.Name == HubTracing.Fold && s.Links.Contains(served));
        Assert.Contains((fold.TraceId, fold.SpanId), deliver!.Links);
        // The webhook's own HTTP request is a child of the delivery's span.
        Assert.Contains(spans, s => s.TraceId == deliver.TraceId && s.ParentSpanId == deliver.SpanId);
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
