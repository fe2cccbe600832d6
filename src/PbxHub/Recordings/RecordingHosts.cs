using PbxHub.Accounts;
using PbxHub.Providers.Evrotel;

namespace PbxHub.Recordings;

/// <summary>
/// The hosts an account's recordings are fetched from: its <c>Recordings:Hosts</c> setting (<c>host</c> or
/// <c>host:port</c>, <c>*.domain</c> for its subdomains, <c>*</c> for any), else its provider's own recording hosts.
/// A link elsewhere is never fetched: the hook's sender chooses it, and the hub fetches from inside the network.
/// </summary>
internal static class RecordingHosts
{
    public const string Setting = "Recordings:Hosts";

    public static IReadOnlyList<string> Of(Account account) =>
        account.Setting(Setting) is { } configured
            ? configured.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : Defaults(account);

    /// <summary>Sipuni serves its links from sipuni.com; Evrotel's come from the account's recording base URL.</summary>
    private static IReadOnlyList<string> Defaults(Account account) => account.Provider switch
    {
        "sipuni" => ["sipuni.com", "*.sipuni.com"],
        "evrotel" when account.Setting(EvrotelAdapter.RecordingBaseUrlSetting) is { } b && Uri.TryCreate(b, UriKind.Absolute, out var u) => [u.Authority],
        _ => [],
    };

    /// <summary>Why <paramref name="url"/> is not fetched for <paramref name="account"/>; null when it may be.</summary>
    public static string? Problem(Account account, Uri url)
    {
        if (url.Scheme is not ("http" or "https" or "ftp"))
        {
            return $"{url.Scheme} links are not fetched: only http, https and ftp";
        }

        var hosts = Of(account);
        var host = url.IdnHost.ToLowerInvariant();
        var allowed = hosts.Any(h => h == "*" || Matches(h.ToLowerInvariant(), host, url.Port, url.IsDefaultPort));
        return allowed ? null : hosts.Count == 0
            ? $"{url.Authority} is not a recording host of the account: set its {Setting}"
            : $"{url.Authority} is not one of the account's recording hosts ({string.Join(", ", hosts)}; setting {Setting})";
    }

    private static bool Matches(string pattern, string host, int port, bool defaultPort)
    {
        var colon = pattern.LastIndexOf(':');
        if (colon > 0 && !pattern.EndsWith(']') && int.TryParse(pattern.AsSpan(colon + 1), out var wantedPort))
        {
            return wantedPort == port && Matches(pattern[..colon], host, port, true);
        }

        if (!defaultPort)
        {
            return false;
        }

        return pattern.StartsWith("*.", StringComparison.Ordinal) ? host.EndsWith(pattern[1..], StringComparison.Ordinal) : host == pattern.Trim('[', ']');
    }
}
