using Microsoft.Extensions.Configuration;
using PbxHub.Providers;

namespace PbxHub.Accounts;

/// <summary>
/// Accounts declared in configuration under <c>PbxHub:Accounts</c> (e.g. <c>PbxHub__Accounts__0__Id=demo</c>).
/// Each entry has Id, Provider, Secret, TimeZone and Country (both default by provider, docs/time-zones.md) and
/// any provider section such as <c>Sipuni:UserNumber</c>.
/// </summary>
internal sealed class AccountsOptions
{
    public const string Section = "PbxHub:Accounts";

    public List<IConfigurationSection> Entries { get; } = [];

    public IEnumerable<Account> ToAccounts(ProviderRegistry providers) => Entries.Select(e => FromSection(e, providers));

    internal static Account FromSection(IConfigurationSection section, ProviderRegistry providers)
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
            section["TimeZone"] ?? AccountDefaults.TimeZoneFor(providers, provider),
            section["Country"] ?? AccountDefaults.CountryFor(providers, provider),
            settings,
            AccountSources.Configuration);
    }
}

/// <summary>What an account that names no zone or country gets: its provider's (each adapter declares them).</summary>
internal static class AccountDefaults
{
    /// <summary>For a provider PbxHub does not know, which validation refuses anyway.</summary>
    private const string UnknownProviderZone = "Europe/Moscow";

    private const string UnknownProviderCountry = "RU";

    public static string TimeZoneFor(ProviderRegistry providers, string provider) =>
        providers.Find(provider)?.DefaultTimeZone ?? UnknownProviderZone;

    public static string CountryFor(ProviderRegistry providers, string provider) =>
        providers.Find(provider)?.DefaultCountry ?? UnknownProviderCountry;
}
