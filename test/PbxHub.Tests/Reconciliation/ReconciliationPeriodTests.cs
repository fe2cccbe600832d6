using PbxHub.Reconciliation;

namespace PbxHub.Tests.Reconciliation;

public sealed class ReconciliationPeriodTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_Nothing_Last24HoursUpToTheSettleTime()
    {
        var period = ReconciliationPeriod.Parse(null, null, Now, TimeSpan.FromMinutes(2), out var problem);

        Assert.Null(problem);
        Assert.Equal((Now.AddMinutes(-2).AddHours(-24), Now.AddMinutes(-2)), period);
    }

    [Theory]
    [InlineData("2026-12-03T10:00:00+03:00")]
    [InlineData("2026-12-03T10:00:00 03:00")]
    [InlineData("2026-12-03T07:00:00Z")]
    public void Parse_TimeWithOffset_ReadAsThatInstant(string since)
    {
        var period = ReconciliationPeriod.Parse(since, "2026-12-03T08:00:00Z", Now, TimeSpan.Zero, out var problem);

        Assert.Null(problem);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 7, 0, 0, TimeSpan.Zero), period!.Value.Since);
    }

    [Theory]
    [InlineData("2026-12-03T10:00:00", null, "since '2026-12-03T10:00:00' is not an ISO 8601 time with an offset (e.g. 2026-12-03T10:00:00+03:00)")]
    [InlineData("2026-12-03T09:00:00Z", "2026-12-03T09:00:00Z", "since must be before until")]
    [InlineData("2026-10-01T00:00:00Z", "2026-12-03T00:00:00Z", "the period is longer than 31 days")]
    [InlineData(null, "soon", "until 'soon' is not an ISO 8601 time with an offset (e.g. 2026-12-03T10:00:00+03:00)")]
    public void Parse_BadPeriod_NoPeriodAndTheProblem(string? since, string? until, string expected)
    {
        var period = ReconciliationPeriod.Parse(since, until, Now, TimeSpan.Zero, out var problem);

        Assert.Null(period);
        Assert.Equal(expected, problem);
    }
}
