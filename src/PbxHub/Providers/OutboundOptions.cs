using System.ComponentModel.DataAnnotations;

namespace PbxHub.Providers;

/// <summary>Placing calls through the providers (<c>PbxHub:Outbound</c>).</summary>
internal sealed class OutboundOptions
{
    public const string Section = "PbxHub:Outbound";

    /// <summary>
    /// The hub's address as the providers reach it, for the autodial media URLs they fetch
    /// (e.g. <c>https://hub.example.com</c>); default: the base of the API request that uploads the media.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long one request to a provider may take before PbxHub stops waiting.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a request that cannot place a call (authenticate, media upload) is tried again after a transient failure.</summary>
    [Range(0, 5)]
    public int IdempotentRetries { get; set; } = 2;

    /// <summary>UIS session keys live one hour (docs/providers/uis.md).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan UisSessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A cached UIS key is replaced this long before its hour runs out.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan UisSessionRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A call of the account with the client's number that starts this soon after a request is taken as its result.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LinkWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The largest autodial WAV accepted (bytes).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxMediaBytes { get; set; } = 10 * 1024 * 1024;

    public static bool IsAbsoluteHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
