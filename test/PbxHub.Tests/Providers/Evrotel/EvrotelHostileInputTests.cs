using PbxHub.Providers;

namespace PbxHub.Tests.Providers.Evrotel;

/// <summary>Bodies found by fuzzing (test/PbxHub.Tests/Fuzzing) that once made the adapter throw instead of failing.</summary>
public sealed class EvrotelHostileInputTests
{
    [Theory]
    [InlineData("""{"callstatus":"end","calldate":"\udfff","callid":"123456789"}""")]
    [InlineData("""{"callstatus":"start","numberA":"\ud800x"}""")]
    [InlineData("""{"\ud800":"start"}""")]
    public void Parse_JsonStringEscapingHalfASurrogatePair_FailsNamingTheText(string body)
    {
        var failed = Assert.IsType<HookParse.Failed>(EvrotelKit.Parse(body));

        Assert.Contains("no valid text", failed.Reason, StringComparison.Ordinal);
    }
}
