using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace PbxHub.Bench.Freshness;

/// <summary>
/// When each call was first seen on one channel (the stream, the webhook receiver): a <see cref="Stopwatch"/>
/// timestamp per call id, the first one kept; later events of the same call do not move it.
/// </summary>
internal sealed class Arrivals
{
    private readonly ConcurrentDictionary<string, long> first = new(StringComparer.Ordinal);

    public int Count => first.Count;

    public void Seen(string callId, long timestamp) => first.TryAdd(callId, timestamp);

    public bool TryGet(string callId, out long timestamp) => first.TryGetValue(callId, out timestamp);

    /// <summary>The call id of an event as the hub sends it on the stream and to webhooks: <c>call.id</c>.</summary>
    public static string? CallIdOf(ReadOnlySpan<byte> eventJson)
    {
        var reader = new Utf8JsonReader(eventJson);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("call", out var call) && call.TryGetProperty("id", out var id) ? id.GetString() : null;
    }
}
