using PbxHub.Providers;

namespace PbxHub.Accounts;

internal static partial class AccountValidation
{
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex Slug();

    /// <summary>The secret is a path segment of the hook URL: only characters that need no escaping there.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9._~-]{8,128}$")]
    private static partial System.Text.RegularExpressions.Regex UrlSafeSecret();

    /// <summary>Whether <paramref name="id"/> has the shape every account id has (a query naming anything else names no account).</summary>
    public static bool IsId(string id) => Slug().IsMatch(id);

    public static IReadOnlyList<string> Problems(Account account, ProviderRegistry providers)
    {
        var problems = new List<string>();
        if (!Slug().IsMatch(account.Id))
        {
            problems.Add($"id '{account.Id}' must be a slug: lower-case letters, digits, '-' or '_', at most 63 characters");
        }

        var adapter = providers.Find(account.Provider);
        if (adapter is null)
        {
            problems.Add($"provider '{account.Provider}' is not one of: {string.Join(", ", providers.Names)}");
        }
        else
        {
            problems.AddRange(adapter.SettingsProblems(account));
        }

        problems.AddRange(Security.AccountNetworks.Problems(account));
        if (Reconciliation.HistoryInterval.Problem(account) is { } interval)
        {
            problems.Add(interval);
        }

        if (adapter is { SecretInPath: false })
        {
            // The provider authenticates by header: the secret is not part of any URL.
        }
        else if (account.Secret.Length < 8)
        {
            problems.Add("secret must be at least 8 characters");
        }
        else if (!UrlSafeSecret().IsMatch(account.Secret))
        {
            problems.Add("secret may hold only letters, digits, '.', '_', '~' and '-' (it is part of the hook URL), at most 128 characters");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(account.TimeZone, out _))
        {
            problems.Add($"timeZone '{account.TimeZone}' is not a known IANA time zone");
        }

        if (PhoneNumbers.PhoneNumberUtil.GetInstance().GetCountryCodeForRegion(account.Country) == 0)
        {
            problems.Add($"country '{account.Country}' is not an ISO 3166 region code");
        }

        return problems;
    }

    public static void ThrowIfInvalid(Account account, ProviderRegistry providers)
    {
        var problems = Problems(account, providers);
        if (problems.Count > 0)
        {
            throw new AccountInvalidException(problems);
        }
    }
}

internal sealed class AccountInvalidException(IReadOnlyList<string> problems)
    : Exception("Invalid account: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
