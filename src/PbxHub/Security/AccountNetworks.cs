using System.Collections.Concurrent;
using System.Net;
using PbxHub.Accounts;

namespace PbxHub.Security;

/// <summary>
/// An account's optional allow-list of source networks (account setting <c>Network:AllowedNetworks</c>, e.g.
/// <c>PbxHub__Accounts__0__Network__AllowedNetworks=185.45.152.0/24,2001:db8::/32</c>): hook requests from
/// anywhere else are denied. Without the setting every source may send (the secret still decides).
/// </summary>
internal static class AccountNetworks
{
    public const string Setting = "Network:AllowedNetworks";

    // Parsed once per distinct setting text: the check sits on every hook request.
    private static readonly ConcurrentDictionary<string, IPNetwork[]> Parsed = new(StringComparer.Ordinal);

    /// <summary>What is wrong with the setting, in words (checked at start-up and when an account is created).</summary>
    public static IEnumerable<string> Problems(Account account)
    {
        if (account.Setting(Setting) is not { } text)
        {
            yield break;
        }

        if (!NetworkAddresses.Split(text).Any())
        {
            yield return $"{Setting} lists no network: leave it out to allow every source";
        }

        foreach (var problem in NetworkAddresses.NetworkProblems(text))
        {
            yield return $"{Setting}: {problem}";
        }
    }

    /// <summary>Whether a request from <paramref name="source"/> may reach the account's hooks.</summary>
    public static bool Allows(Account account, IPAddress? source)
    {
        if (account.Setting(Setting) is not { } text)
        {
            return true;
        }

        var networks = Parsed.GetOrAdd(text, NetworkAddresses.ParseNetworks);
        return source is not null && networks.Any(n => NetworkAddresses.Contains(n, source));
    }
}
