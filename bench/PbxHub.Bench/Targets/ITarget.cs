using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Targets;

/// <summary>A server the load is sent to.</summary>
internal interface ITarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The hook URL of the provider's account (always on 127.0.0.1).</summary>
    string HookUrl(BenchProvider provider);

    /// <summary>The headers every hook of the provider carries (Evrotel's token).</summary>
    IReadOnlyDictionary<string, string> Headers(BenchProvider provider);
}
