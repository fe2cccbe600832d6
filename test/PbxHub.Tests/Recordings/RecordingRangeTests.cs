using PbxHub.Recordings;

namespace PbxHub.Tests.Recordings;

public sealed class RecordingRangeTests
{
    [Theory]
    [InlineData("bytes=0-99", 0L, 99L)]
    [InlineData("bytes=900-", 900L, 999L)]
    [InlineData("bytes=-100", 900L, 999L)]
    [InlineData("bytes=-5000", 0L, 999L)]
    [InlineData("bytes=990-2000", 990L, 999L)]
    public void Parse_SatisfiableRange_Bounds(string header, long from, long to) =>
        Assert.Equal((from, to), RecordingResult.Parse(header, 1000));

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=5-2")]
    public void Parse_Unsatisfiable_Null(string header) =>
        Assert.Null(RecordingResult.Parse(header, 1000));

    [Theory]
    [InlineData("items=0-1")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("nonsense")]
    public void Applies_SeveralRangesOrOtherUnits_WholeFileInstead(string header) =>
        Assert.False(RecordingResult.Applies(header));
}
