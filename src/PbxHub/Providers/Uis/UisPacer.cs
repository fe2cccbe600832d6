namespace PbxHub.Providers.Uis;

/// <summary>
/// One run's pace against the Data API's per-minute points (docs/providers/uis.md#call-history): every answer says how
/// many are left; when none are, the next request waits until they are renewed (<c>minute_reset</c>, at most a minute).
/// </summary>
internal sealed class UisPacer(TimeProvider time)
{
    private TimeSpan pause = TimeSpan.Zero;

    public Task WaitAsync(CancellationToken ct) => pause > TimeSpan.Zero ? Task.Delay(pause, time, ct) : Task.CompletedTask;

    public UisReport Note(UisReport answer)
    {
        pause = answer is UisReport.Page { MinuteRemaining: <= 0 } page
            ? TimeSpan.FromSeconds(Math.Clamp(page.MinuteReset ?? 60, 1, 60))
            : TimeSpan.Zero;
        return answer;
    }
}
