using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.Ingest;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Ingest;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task Ingest_ConcurrentRequests_ShareTransactionsAndAllAreStored()
    {
        await using var hub = await HubServer.StartAsync();
        long requests = 0, commits = 0;
        // Only this hub's meter: other tests in the process run hubs of their own at the same time.
        var meters = hub.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == IngestMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "pbxhub.ingest.requests")
            {
                Interlocked.Add(ref requests, value);
            }
            else if (instrument.Name == "pbxhub.ingest.commits")
            {
                Interlocked.Add(ref commits, value);
            }
        });
        listener.Start();

        const int count = 400;
        using var gate = new SemaphoreSlim(64);
        var answers = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var query = $"event=1&is_inner_call=1&call_id=gc{i}&src_num=79031234567&src_type=1&dst_num=012345101&dst_type=2&timestamp=1700000000";
                using var response = await hub.Client.GetAsync($"{hub.HookPath}?{query}");
                return (int)response.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(answers, status => Assert.Equal(200, status));
        Assert.Equal(count, Interlocked.Read(ref requests));
        Assert.InRange(Interlocked.Read(ref commits), 1, count - 1);
        var page = await hub.Client.GetStringAsync("/api/v1/calls?limit=1000");
        Assert.Equal(count, System.Text.Json.JsonDocument.Parse(page).RootElement.GetProperty("items").GetArrayLength());
    }
}
