
namespace PbxHub.Delivery;

/// <summary>
/// When to try a failed delivery again: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (each ±20 %),
/// then give up. A <c>Retry-After</c> from the subscriber replaces the step's delay within bounds; after a
/// timeout or a 429 the next try is at least a minute away.
/// </summary>
internal static class RetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    public static readonly TimeSpan MinRetryAfter = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(10);
    public static readonly TimeSpan AfterTimeoutOrThrottle = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The delay after the failure of step <paramref name="step"/> (0 for the first try of the schedule),
    /// or null when that was the last one.
    /// </summary>
    public static TimeSpan? Next(int step, TimeSpan? retryAfter, bool timedOutOrThrottled, Random random)
    {
        if (step >= Delays.Count)
        {
            return null;
        }

        var delay = retryAfter is { } asked
            ? Clamp(asked, MinRetryAfter, MaxRetryAfter)
            : Delays[step] * (0.8 + (0.4 * random.NextDouble()));
        return timedOutOrThrottled && delay < AfterTimeoutOrThrottle ? AfterTimeoutOrThrottle : delay;
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
