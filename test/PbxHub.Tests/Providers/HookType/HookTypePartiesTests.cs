using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Providers.HookType;

namespace PbxHub.Tests.Providers.HookType;

public sealed class HookTypePartiesTests
{
    private static Account In(string country) => HookTypeHooks.Account with { Country = country };

    [Theory]
    [InlineData("80052002651", "0052002651")]
    [InlineData("0052002651", "0052002651")]
    [InlineData("80052002642", "0052002642")]
    [InlineData("800774994086005", "00774994086005")]
    [InlineData("70052002651", "0052002651")]
    public void Of_EmployeeId_ExtensionWithRawKept(string raw, string extension) =>
        Assert.Equal(new Party(raw, null, extension), HookTypeParties.Of(In("RU"), raw));

    [Theory]
    [InlineData("9582412128", "+79582412128")]
    [InlineData("4950665310", "+74950665310")]
    [InlineData("84950665310", "+74950665310")]
    [InlineData("+79582412128", "+79582412128")]
    [InlineData("8001234567", "+78001234567")]
    [InlineData("88001234567", "+78001234567")]
    public void Of_PhoneNumber_E164(string raw, string e164) =>
        Assert.Equal(new Party(raw, e164, null), HookTypeParties.Of(In("RU"), raw));

    [Fact]
    public void Of_EmployeeIdsAsPlainNumbers_WouldBeMisread()
    {
        // Why employee ids are recognised before libphonenumber sees them: as numbers they read as the +800
        // international freephone range or as a +7 number that does not exist.
        Assert.Equal("+80052002651", Parties.Number("80052002651", "RU").Number);
        Assert.Equal("+70052002651", Parties.Number("0052002651", "RU").Number);
        Assert.Equal("+700774994086005", Parties.Number("800774994086005", "RU").Number);
    }

    [Fact]
    public void Of_UkrainianAccount_LeadingZeroIsANumber()
    {
        // Outside the +7 zone a leading 0 is the national trunk prefix, not an employee.
        Assert.Equal(new Party("0987858227", "+380987858227", null), HookTypeParties.Of(In("UA"), "0987858227"));
    }

    [Fact]
    public void Of_Missing_Null() => Assert.Null(HookTypeParties.Of(In("RU"), null));
}
