using System.Net;
using System.Net.Sockets;

namespace PbxHub.Security;

/// <summary>Reading addresses and networks as operators write them, and comparing them the same way whatever the socket family.</summary>
internal static class NetworkAddresses
{
    private static readonly char[] Separators = [',', ';', ' ', '\t', '\r', '\n'];

    /// <summary>The entries of a list written <c>a, b; c</c>.</summary>
    public static IEnumerable<string> Split(string? text) =>
        (text ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The networks of a list written <c>a, b; c</c>; entries that are not one are left out (start-up checks report them).</summary>
    public static IPNetwork[] ParseNetworks(string? text) =>
        [.. Split(text).Select(e => TryParseNetwork(e, out var n, out _) ? n : (IPNetwork?)null).OfType<IPNetwork>()];

    /// <summary>What is wrong with each entry of such a list that is not a network, in words.</summary>
    public static IEnumerable<string> NetworkProblems(string? text) =>
        Split(text).Select(e => TryParseNetwork(e, out _, out var problem) ? null : problem).OfType<string>();

    /// <summary>An IPv4 client on a dual-stack socket shows up as <c>::ffff:a.b.c.d</c>: compare it as the IPv4 address it is.</summary>
    public static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>An address as written: four dotted decimals or IPv6 (no shorthand such as <c>10.1</c>, which .NET would read as 10.0.0.1).</summary>
    public static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var plausible = text.Contains(':', StringComparison.Ordinal) || (text.Count(c => c == '.') == 3 && text.All(c => char.IsAsciiDigit(c) || c == '.'));
        if (!plausible || !IPAddress.TryParse(text, out var parsed) || (parsed.AddressFamily == AddressFamily.InterNetworkV6 && parsed.ScopeId != 0))
        {
            return false;
        }

        address = Normalise(parsed);
        return true;
    }

    /// <summary>A network in CIDR form (<c>203.0.113.0/24</c>, <c>2001:db8::/32</c>) or one address (a network of one).</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network, out string problem)
    {
        network = default;
        problem = $"'{text}' is not an IPv4 or IPv6 address or network in CIDR form (e.g. 203.0.113.0/24, 2001:db8::/32)";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!TryParseAddress(slash < 0 ? text : text[..slash], out var address))
        {
            return false;
        }

        var writtenAsIPv6 = text.Contains(':', StringComparison.Ordinal);
        var bits = writtenAsIPv6 ? 128 : 32;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return false;
        }

        // ::ffff:10.0.0.0/104 written for a dual-stack listener is the IPv4 network 10.0.0.0/8.
        if (writtenAsIPv6 && address.AddressFamily == AddressFamily.InterNetwork)
        {
            prefix -= 96;
            if (prefix < 0)
            {
                return false;
            }
        }

        var masked = Masked(address, prefix);
        if (!masked.Equals(address))
        {
            problem = $"'{text}' has bits set after its /{prefix} prefix: the network is {masked}/{prefix}";
            return false;
        }

        network = new IPNetwork(masked, prefix);
        return true;
    }

    public static bool Contains(IPNetwork network, IPAddress address) => network.Contains(Normalise(address));

    /// <summary>
    /// Who a source is, for rate limits: the IPv4 address, or the /64 of an IPv6 one (one host is usually given a
    /// whole /64 and could otherwise take a fresh address for every request).
    /// </summary>
    public static string SourceKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        var normal = Normalise(address);
        return normal.AddressFamily == AddressFamily.InterNetworkV6 ? Masked(normal, 64) + "/64" : normal.ToString();
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
