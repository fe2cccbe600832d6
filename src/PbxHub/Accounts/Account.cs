namespace PbxHub.Accounts;

/// <summary>One connection to one provider: a tenant's PBX.</summary>
/// <param name="Settings">Provider settings as flat configuration keys, e.g. <c>Sipuni:UserNumber</c>.</param>
internal sealed record Account(
    string Id,
    string Provider,
    string Secret,
    string TimeZone,
    string Country,
    IReadOnlyDictionary<string, string> Settings,
    string Source)
{
    public string? Setting(string key) => Settings.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>
    /// Set when the stored secret and settings cannot be decrypted (the key ring that encrypted them is missing):
    /// the account is listed with this problem, its hooks are answered "try later" and it places no calls.
    /// </summary>
    public string? SecretsProblem { get; init; }
}

internal static class AccountSources
{
    public const string Configuration = "configuration";
    public const string Database = "database";
}
