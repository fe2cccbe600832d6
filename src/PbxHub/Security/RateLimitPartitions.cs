using System.Threading.RateLimiting;

namespace PbxHub.Security;

/// <summary>Turns a configured <see cref="RateLimit"/> into the rate limiter's partitions.</summary>
internal static class RateLimitPartitions
{
    public static RateLimitPartition<string> For(string key, RateLimit limit) =>
        limit.IsOff
            ? RateLimitPartition.GetNoLimiter("off")
            : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit.PermitLimit,
                Window = limit.Window,
                // A request over the limit is answered at once: providers retry, and a queued hook would only
                // hold a connection the provider is already waiting on.
                QueueLimit = 0,
                AutoReplenishment = true,
            });

    /// <summary>Whole seconds for <c>Retry-After</c>: at least 1, rounded up.</summary>
    public static int RetryAfterSeconds(RateLimitLease lease, RateLimit limit)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : limit.Window;
        return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }
}

/// <summary>
/// The limits counted once the caller is known: hooks per account after the request authenticated (so nobody
/// who knows only an account's id can spend its allowance), API requests per valid key.
/// </summary>
internal sealed class CallerRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> perAccount;
    private readonly PartitionedRateLimiter<string> perKey;
    private readonly PartitionedRateLimiter<string> signInFailures;

    public CallerRateLimits(Microsoft.Extensions.Options.IOptions<NetworkOptions> options)
    {
        var limits = options.Value.RateLimits;
        HooksPerAccount = limits.HooksPerAccount;
        ApiPerKey = limits.ApiPerKey;
        perAccount = PartitionedRateLimiter.Create<string, string>(account => RateLimitPartitions.For(account, HooksPerAccount));
        perKey = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartitions.For(key, ApiPerKey));
        SignInFailuresPerSource = limits.SignInFailuresPerSource;
        signInFailures = PartitionedRateLimiter.Create<string, string>(source => RateLimitPartitions.For(source, SignInFailuresPerSource));
    }

    public RateLimit HooksPerAccount { get; }

    public RateLimit ApiPerKey { get; }

    public RateLimit SignInFailuresPerSource { get; }

    /// <summary>Null when the account's hook may go on; otherwise the seconds to put in <c>Retry-After</c>.</summary>
    public int? HookRefusal(string accountId) => Refusal(perAccount, accountId, HooksPerAccount);

    public int? ApiRefusal(string caller) => Refusal(perKey, caller, ApiPerKey);

    /// <summary>Null while the address may still try to sign in; otherwise the seconds until it may again.</summary>
    /// <remarks>Asking for no permit only looks: the allowance is spent by failures alone (<see cref="SignInFailed"/>).</remarks>
    public int? SignInRefusal(string source) => Refusal(signInFailures, source, SignInFailuresPerSource, permits: 0);

    public void SignInFailed(string source) => signInFailures.AttemptAcquire(source).Dispose();

    public void Dispose()
    {
        perAccount.Dispose();
        perKey.Dispose();
        signInFailures.Dispose();
    }

    private static int? Refusal(PartitionedRateLimiter<string> limiter, string key, RateLimit limit, int permits = 1)
    {
        using var lease = limiter.AttemptAcquire(key, permits);
        return lease.IsAcquired ? null : RateLimitPartitions.RetryAfterSeconds(lease, limit);
    }
}
