using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace PbxHub.Providers.Uis;

/// <summary>
/// UIS session keys, one per account and credentials, replaced a little before their hour runs out
/// (docs/providers/uis.md) so a call is not refused for an expired key in the normal course.
/// </summary>
internal sealed class UisSessions(TimeProvider time, IOptions<OutboundOptions> options)
{
    private sealed record Session(string Key, DateTimeOffset ObtainedAt);

    private readonly ConcurrentDictionary<string, Session> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);

    /// <summary>The cached key if it is still comfortably within its lifetime.</summary>
    public string? Current(string cacheKey)
    {
        var o = options.Value;
        return sessions.TryGetValue(cacheKey, out var s) && time.GetUtcNow() - s.ObtainedAt < o.UisSessionLifetime - o.UisSessionRefreshMargin
            ? s.Key
            : null;
    }

    public void Store(string cacheKey, string key) => sessions[cacheKey] = new Session(key, time.GetUtcNow());

    /// <summary>Drops the key UIS refused, unless another request has replaced it already.</summary>
    public void Forget(string cacheKey, string key)
    {
        if (sessions.TryGetValue(cacheKey, out var s) && s.Key == key)
        {
            sessions.TryRemove(KeyValuePair.Create(cacheKey, s));
        }
    }

    /// <summary>One authentication at a time per account: concurrent calls wait for the same new key.</summary>
    public SemaphoreSlim Gate(string cacheKey) => gates.GetOrAdd(cacheKey, _ => new SemaphoreSlim(1, 1));
}
