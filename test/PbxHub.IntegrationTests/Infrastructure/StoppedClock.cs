namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>
/// A clock whose "now" stays at a whole second of when it was made, while its timers and delays run in real time: a
/// test can plan the very traffic a run generated from "now", and the run's retries still wait and go on.
/// </summary>
internal sealed class StoppedClock : TimeProvider
{
    private readonly DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(System.GetUtcNow().ToUnixTimeSeconds());

    public override DateTimeOffset GetUtcNow() => now;
}
