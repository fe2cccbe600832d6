using System.Text;
using PbxHub.Providers;

namespace PbxHub.Tests.Providers.HookType;

/// <summary>Bodies found by fuzzing (test/PbxHub.Tests/Fuzzing) that once made the adapter throw instead of failing.</summary>
public sealed class HookTypeHostileInputTests
{
    [Theory]
    [InlineData("name")]
    [InlineData("value")]
    public void Parse_InvalidUtf8InsideTheJson_FailsNamingTheText(string where)
    {
        var example = Encoding.UTF8.GetString(HookTypeHooks.Example("AttemptIncCallBegin"));
        var marked = where == "name" ? example.Replace("SessionID", "Sess\u0001ionID", StringComparison.Ordinal) : example.Replace("CityNumber\": \"", "CityNumber\": \"\u0001", StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(marked).Select(b => b == 0x01 ? (byte)0xFF : b).ToArray();

        var failed = Assert.IsType<HookParse.Failed>(HookTypeHooks.Parse(body));

        Assert.Contains("no valid text", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StringEscapingHalfASurrogatePair_FailsNamingTheText()
    {
        var failed = Assert.IsType<HookParse.Failed>(HookTypeHooks.Parse("""{"SessionID":"\udfff","HookType":"CreateIncCall","StartTime":"2021-01-28 14:15:22"}"""));

        Assert.Contains("no valid text", failed.Reason, StringComparison.Ordinal);
    }
}
