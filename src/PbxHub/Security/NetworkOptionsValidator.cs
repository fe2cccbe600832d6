using Microsoft.Extensions.Options;

namespace PbxHub.Security;

/// <summary>Names every wrong network setting at start-up, with the key to fix.</summary>
internal sealed class NetworkOptionsValidator : IValidateOptions<NetworkOptions>
{
    private const string Prefix = NetworkOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, NetworkOptions options)
    {
        var failures = new List<string>();
        failures.AddRange(options.KnownProxies.Where(p => !NetworkAddresses.TryParseAddress(p, out _))
            .Select(p => $"{Prefix}KnownProxies: '{p}' is not an IPv4 or IPv6 address (a proxy's address, e.g. 127.0.0.1)"));
        foreach (var network in options.KnownNetworks)
        {
            if (!NetworkAddresses.TryParseNetwork(network, out _, out var problem))
            {
                failures.Add($"{Prefix}KnownNetworks: {problem}");
            }
        }

        if (options.ForwardLimit is < 1 or > 16)
        {
            failures.Add($"{Prefix}ForwardLimit must be between 1 and 16 (the proxies in front of the hub), not {options.ForwardLimit}");
        }

        if (options.MaxApiBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"{Prefix}MaxApiBodyBytes must be between 1024 and 67108864 bytes, not {options.MaxApiBodyBytes}");
        }

        if (options.HstsMaxAge < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}HstsMaxAge must not be negative (00:00:00 sends no Strict-Transport-Security)");
        }

        var limits = options.RateLimits;
        failures.AddRange(new (string Name, RateLimit Limit)[]
            {
                (nameof(limits.HooksPerAccount), limits.HooksPerAccount), (nameof(limits.HooksPerSource), limits.HooksPerSource),
                (nameof(limits.ApiPerKey), limits.ApiPerKey), (nameof(limits.ApiPerSource), limits.ApiPerSource),
                (nameof(limits.SignInFailuresPerSource), limits.SignInFailuresPerSource),
            }
            .SelectMany(l => Problems($"{Prefix}RateLimits:{l.Name}", l.Limit)));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Problems(string key, RateLimit limit)
    {
        if (limit.PermitLimit < 0)
        {
            yield return $"{key}:PermitLimit must be 0 (no limit) or more, not {limit.PermitLimit}";
        }

        if (limit.Window < TimeSpan.FromSeconds(1) || limit.Window > TimeSpan.FromDays(1))
        {
            yield return $"{key}:Window must be between 00:00:01 and 1.00:00:00, not {limit.Window}";
        }
    }
}
