namespace PbxHub.Logging;

/// <summary>What the logs may show (<c>PbxHub:Logging</c>). Secrets are hidden whatever is set here.</summary>
internal sealed class LoggingOptions
{
    public const string Section = "PbxHub:Logging";

    /// <summary>Phone numbers in log lines are shortened to their first and last digits (default true).</summary>
    public bool MaskPhoneNumbers { get; set; } = true;
}
