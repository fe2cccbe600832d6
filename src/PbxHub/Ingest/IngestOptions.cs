using System.ComponentModel.DataAnnotations;

namespace PbxHub.Ingest;

/// <summary>Hook ingest settings (<c>PbxHub:Ingest</c>).</summary>
internal sealed class IngestOptions
{
    public const string Section = "PbxHub:Ingest";

    /// <summary>Largest hook body accepted, in bytes (default 64 KiB); larger gets 413 and is not stored.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Most requests committed in one transaction (default 512).</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// Longest a stored event waits to be folded into its call record while requests keep coming
    /// (default 200 ms); an idle hub folds at once. API reads wait for what was acknowledged before them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxFoldDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// With several nodes (PostgreSQL): how long a node waits idle before folding calls another node stored and did
    /// not fold, because it died after acknowledging them (default 30 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan OrphanFoldInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests waiting for the writer before new ones wait for room (default 20 000).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>
    /// Longest a request waits for room in a full queue (default 2 s). Past it the hub is overloaded: the request is
    /// refused unstored with 503, <c>Retry-After</c> and the provider's failure answer, so the provider sends it again
    /// later rather than timing out on an answer that comes too late. 0 refuses as soon as the queue is full.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan QueueFullWait { get; set; } = TimeSpan.FromSeconds(2);
}
