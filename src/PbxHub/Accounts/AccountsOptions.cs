using Microsoft.Extensions.Configuration;

namespace PbxHub.Accounts;

/// <summary>
/// Accounts declared in configuration under <c>PbxHub:Accounts</c> (e.g. <c>PbxHub__Accounts__0__Id=demo</c>).
/// Each entry has Id, Provider, Secret, TimeZone (default Europe/Moscow), Country (default by provider) and
/// any provider section such as <c>Sipuni:UserNumber</c>.
/// </summary>
internal sealed class AccountsOptions
{
    public const string Section = "PbxHub:Accounts";

    public List<IConfigurationSection> Entries { get; } = [];

    public IEnumerable<Account> ToAccounts() => Entries.Select(FromSection);

    internal static Account FromSection(IConfigurationSection section)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren().Where(c => c.Value is null))
        {
            foreach (var leaf in child.AsEnumerable(makePathsRelative: true).Where(kv => kv.Value is not null))
            {
                settings[child.Key + ":" + leaf.Key] = leaf.Value!;
            }
        }

        var provider = (section["Provider"] ?? "").Trim().ToLowerInvariant();
        return new Account(
            section["Id"] ?? "",
            provider,
            section["Secret"] ?? "",
            section["TimeZone"] ?? AccountDefaults.TimeZone,
            section["Country"] ?? AccountDefaults.CountryFor(provider),
            settings,
            AccountSources.Configuration);
    }
}

internal static class AccountDefaults
{
    public const string TimeZone = "Europe/Moscow";

    public static string CountryFor(string provider) => provider == "evrotel" ? "UA" : "RU";
}
