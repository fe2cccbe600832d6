using PbxHub.Accounts;
using PbxHub.Calls;

namespace PbxHub.Providers.HookType;

/// <summary>
/// Caller, Called and CityNumber as parties. Phone numbers come as ten digits without a country code, sometimes
/// with a leading 8 (<c>84950665310</c>). <c>Called</c> can be an employee id such as <c>80052002651</c> or
/// <c>800774994086005</c>, which libphonenumber would misread (as the +800 international freephone range, or as
/// +7 005…): in the +7 zone no national number starts with 0, so a value whose digits, after an 8/7 trunk prefix,
/// start with 0 is an employee. Its extension is those digits without the prefix, which makes
/// <c>80052002651</c> and <c>0052002651</c> (the spec writes both) the same employee.
/// </summary>
internal static class HookTypeParties
{
    public static Party? Of(Account account, string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        return EmployeeId(raw.Trim(), account.Country) is { } employee
            ? Parties.Extension(raw, employee)
            : Parties.Number(raw, account.Country);
    }

    /// <summary>The employee id in <paramref name="value"/>, or null when it is (or may be) a phone number.</summary>
    public static string? EmployeeId(string value, string country)
    {
        if (value.Length == 0 || !value.All(char.IsAsciiDigit)
            || PhoneNumbers.PhoneNumberUtil.GetInstance().GetCountryCodeForRegion(country) != 7)
        {
            return null;
        }

        var national = value.Length >= 11 && value[0] is '8' or '7' ? value[1..] : value;
        return national.StartsWith('0') ? national : null;
    }
}
