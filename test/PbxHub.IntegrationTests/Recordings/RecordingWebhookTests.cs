using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Recordings;

/// <summary>Webhooks point to PbxHub's copy: the record in <c>call.recording.kept</c> carries the kept <c>recording</c>.</summary>
public sealed class RecordingWebhookTests
{
    [Fact]
    public async Task Webhook_RecordingKept_PayloadRecordNamesPbxHubsCopy()
    {
        await using var origin = await RecordingOrigin.StartAsync();
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await RecordingHub.StartAsync(origin);
        await hub.Client.SubscribeAsync(subscriber.Url);
        var id = await RecordingHub.SendCallAsync(hub, "rec-webhook", origin.BaseUrl + "/rec/webhook.wav");

        await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Any(r => r.Text.Contains("\"call.recording.kept\"", StringComparison.Ordinal)), "call.recording.kept delivered");
        var kept = subscriber.Delivered.Select(r => JsonDocument.Parse(r.Body).RootElement).First(e => e.GetProperty("type").GetString() == "call.recording.kept");
        var recording = kept.GetProperty("call").GetProperty("recording");

        Assert.Equal("kept", recording.GetProperty("state").GetString());
        Assert.Equal($"/api/v1/calls/{id}/recording", recording.GetProperty("url").GetString());
        Assert.Equal(origin.BaseUrl + "/rec/webhook.wav", kept.GetProperty("call").GetProperty("recordingUrl").GetString());
        Assert.Equal(RecordingOrigin.Wav, await hub.Client.GetByteArrayAsync(recording.GetProperty("url").GetString()));
    }
}
