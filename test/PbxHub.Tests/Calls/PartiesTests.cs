using PbxHub.Calls;

namespace PbxHub.Tests.Calls;

public sealed class PartiesTests
{
    [Theory]
    [InlineData("89031234567", "RU", "+79031234567")]
    [InlineData("79031234567", "RU", "+79031234567")]
    [InlineData("+79031234567", "RU", "+79031234567")]
    [InlineData("9582412128", "RU", "+79582412128")]
    [InlineData("4950665310", "RU", "+74950665310")]
    [InlineData("8955555555", "RU", "+78955555555")]
    [InlineData("8499999999", "RU", "+78499999999")]
    [InlineData("+7 (903) 123-45-67", "RU", "+79031234567")]
    [InlineData("0987858227", "UA", "+380987858227")]
    [InlineData("380987858227", "UA", "+380987858227")]
    [InlineData("+380987858227", "RU", "+380987858227")]
    public void ToE164_EveryShapeOfQuirks_GivesE164(string raw, string country, string expected) =>
        Assert.Equal(expected, Parties.ToE164(raw, country));

    [Theory]
    [InlineData("101")]
    [InlineData("sip-user")]
    [InlineData("")]
    public void ToE164_NotAPhoneNumber_IsNull(string raw) => Assert.Null(Parties.ToE164(raw, "RU"));

    [Fact]
    public void Number_ShortDigits_IsAnExtensionKeepingRaw()
    {
        var party = Parties.Number("101", "RU");

        Assert.Equal(new Party("101", null, "101"), party);
    }

    [Fact]
    public void Number_WithProviderDecoration_KeepsRawAndNormalisesDigits()
    {
        var party = Parties.Number("79031234567_id265648", "79031234567", "RU");

        Assert.Equal(new Party("79031234567_id265648", "+79031234567", null), party);
    }
}
