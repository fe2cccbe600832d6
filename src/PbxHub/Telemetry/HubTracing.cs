using System.Diagnostics;

namespace PbxHub.Telemetry;

/// <summary>
/// The hub's spans (docs/tracing.md). A hook is followed through its stages: the request (ASP.NET Core's server
/// span) holds <see cref="Store"/>; the commit that made it durable, the fold that turned it into a record and the
/// deliveries of the events that fold wrote are spans of their own (they serve many requests at once), each
/// linked to the spans it served. Without a listener (tracing off) no span is created.
/// </summary>
internal static class HubTracing
{
    public const string SourceName = "PbxHub";

    public const string Store = "pbxhub.ingest.store";
    public const string Commit = "pbxhub.ingest.commit";
    public const string Fold = "pbxhub.fold";
    public const string Deliver = "pbxhub.deliver";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The current span's context, to link a later stage to (default when nothing is traced).</summary>
    public static ActivityContext Current => Activity.Current?.Context ?? default;

    public static Activity? StartLinked(string name, IEnumerable<ActivityContext> served)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var links = served.Where(c => c != default).Distinct().Select(c => new ActivityLink(c)).ToList();
        // A stage of its own (a root), not a child of whatever ran before it on this flow; called from async
        // methods, whose change of the ambient span does not flow back to their callers.
        Activity.Current = null;
        return Source.StartActivity(name, ActivityKind.Internal, parentContext: default, links: links);
    }
}

/// <summary>The last fold of each recent call on this node, for the deliveries of its events to link to (docs/tracing.md).</summary>
internal sealed class FoldTraces
{
    private const int RememberedCalls = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ActivityContext> foldOfCall = new(StringComparer.Ordinal);

    public void Folded(string callId, Activity? fold)
    {
        if (fold is null)
        {
            return;
        }

        if (foldOfCall.Count >= RememberedCalls)
        {
            foldOfCall.Clear();
        }

        foldOfCall[callId] = fold.Context;
    }

    public ActivityContext FoldOf(string callId) => foldOfCall.GetValueOrDefault(callId);
}
