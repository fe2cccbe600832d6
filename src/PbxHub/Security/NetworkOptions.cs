namespace PbxHub.Security;

/// <summary>
/// How the hub meets the network (<c>PbxHub:Network</c>): which proxies it believes about the client's
/// address, how large an API request may be, how many requests it takes, and HSTS.
/// </summary>
internal sealed class NetworkOptions
{
    public const string Section = "PbxHub:Network";

    /// <summary>
    /// Addresses of reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed
    /// (e.g. <c>127.0.0.1</c> for nginx on the same machine). Empty by default: nothing is believed.
    /// </summary>
    public List<string> KnownProxies { get; } = [];

    /// <summary>Networks (CIDR) of such proxies, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies in front of the hub are read from <c>X-Forwarded-For</c>, right to left (default 1).</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Largest request body the API takes (default 1 MiB); autodial uploads may be up to <c>PbxHub:Outbound:MaxMediaBytes</c>.</summary>
    public int MaxApiBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// <c>Strict-Transport-Security</c> max-age sent on HTTPS answers (default 365 days; <c>00:00:00</c> sends none).
    /// HTTPS means Kestrel's own HTTPS, or <c>X-Forwarded-Proto: https</c> from a known proxy.
    /// </summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    public RateLimitsOptions RateLimits { get; set; } = new();
}

/// <summary>
/// Requests taken per window (<c>PbxHub:Network:RateLimits</c>). The defaults never trip on a real PBX's
/// traffic (a busy account sends a few hooks a second) and stop one source or one account from flooding the hub.
/// </summary>
internal sealed class RateLimitsOptions
{
    /// <summary>Hook requests per account that passed authentication (default 12 000 a minute, 200/s).</summary>
    public RateLimit HooksPerAccount { get; set; } = new() { PermitLimit = 12_000 };

    /// <summary>
    /// Hook requests per source address (default 60 000 a minute, 1 000/s). A provider sends every customer's
    /// hooks from a few addresses, and without <c>KnownProxies</c> every request seems to come from the proxy.
    /// </summary>
    public RateLimit HooksPerSource { get; set; } = new() { PermitLimit = 60_000 };

    /// <summary>API requests per API key (or per signed-in dashboard address), default 6 000 a minute.</summary>
    public RateLimit ApiPerKey { get; set; } = new() { PermitLimit = 6_000 };

    /// <summary>API requests per source address, with or without a valid key (default 12 000 a minute).</summary>
    public RateLimit ApiPerSource { get; set; } = new() { PermitLimit = 12_000 };

    /// <summary>
    /// Failed dashboard sign-ins per source address (default 10 in 5 minutes). Once spent, no key or password from
    /// that address is even checked until the window ends, so passwords cannot be guessed at the API's pace.
    /// </summary>
    public RateLimit SignInFailuresPerSource { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(5) };
}

/// <summary>At most <see cref="PermitLimit"/> requests in each fixed <see cref="Window"/>; 0 turns the limit off.</summary>
internal sealed class RateLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsOff => PermitLimit == 0;
}
