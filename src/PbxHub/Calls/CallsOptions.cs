using System.ComponentModel.DataAnnotations;

namespace PbxHub.Calls;

/// <summary>Call-record settings (<c>PbxHub:Calls</c>).</summary>
internal sealed class CallsOptions
{
    public const string Section = "PbxHub:Calls";

    /// <summary>A call with no raw event for this long and no end is closed as incomplete (default 4 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan OpenCallTimeout { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How often the sweeper looks for such calls (default 1 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
