namespace PbxHub.Bench.Targets;

/// <summary>A server the load is sent to.</summary>
internal interface ITarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The hook URL (always on 127.0.0.1).</summary>
    string HookUrl { get; }
}
