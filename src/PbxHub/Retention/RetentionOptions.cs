using System.ComponentModel.DataAnnotations;

namespace PbxHub.Retention;

/// <summary>
/// How long the hub keeps what it no longer needs (<c>PbxHub:Retention</c>). Unset days keep everything
/// forever (the default). Call records, their search index and the normalised event log are always kept.
/// </summary>
internal sealed class RetentionOptions
{
    public const string Section = "PbxHub:Retention";

    /// <summary>
    /// Raw requests of calls whose newest raw event is older than this many days are replaced by what they
    /// said (one compacted row per call); quarantined requests older than this are deleted.
    /// </summary>
    [Range(1, 36500)]
    public int? RawEventDays { get; set; }

    /// <summary>Finished deliveries (delivered or given up) completed more than this many days ago are deleted with their attempts.</summary>
    [Range(1, 36500)]
    public int? DeliveryDays { get; set; }

    /// <summary>Kept recordings (files or objects) are deleted this many days after they were kept (docs/recordings.md).</summary>
    [Range(1, 36500)]
    public int? Recordings { get; set; }

    /// <summary>How often pruning runs (default hourly).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Calls (or rows) per transaction: each batch is short, so ingest waits on it at most briefly.</summary>
    [Range(1, 10000)]
    public int BatchSize { get; set; } = 200;

    public bool Enabled => RawEventDays is not null || DeliveryDays is not null;
}
