using System.Net;
using PbxHub.Accounts;
using PbxHub.Security;

namespace PbxHub.Tests.Security;

public sealed class NetworkAddressesTests
{
    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.0/24")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("203.0.113.7", "203.0.113.7/32")]
    [InlineData("2001:db8::7", "2001:db8::7/128")]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void TryParseNetwork_WellFormed_TheNetworkMeant(string text, string expected)
    {
        Assert.True(NetworkAddresses.TryParseNetwork(text, out var network, out _));
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("10.0.0.1/8", "'10.0.0.1/8' has bits set after its /8 prefix: the network is 10.0.0.0/8")]
    [InlineData("10.0.0.0/33", "'10.0.0.0/33' is not an IPv4 or IPv6 address or network in CIDR form (e.g. 203.0.113.0/24, 2001:db8::/32)")]
    [InlineData("10.0/16", "'10.0/16' is not an IPv4 or IPv6 address or network in CIDR form (e.g. 203.0.113.0/24, 2001:db8::/32)")]
    [InlineData("10", "'10' is not an IPv4 or IPv6 address or network in CIDR form (e.g. 203.0.113.0/24, 2001:db8::/32)")]
    [InlineData("office", "'office' is not an IPv4 or IPv6 address or network in CIDR form (e.g. 203.0.113.0/24, 2001:db8::/32)")]
    [InlineData("10.0.0.0/+8", "'10.0.0.0/+8' is not an IPv4 or IPv6 address or network in CIDR form (e.g. 203.0.113.0/24, 2001:db8::/32)")]
    [InlineData("fe80::1%eth0/128", "'fe80::1%eth0/128' is not an IPv4 or IPv6 address or network in CIDR form (e.g. 203.0.113.0/24, 2001:db8::/32)")]
    public void TryParseNetwork_Malformed_SaysWhy(string text, string problem)
    {
        Assert.False(NetworkAddresses.TryParseNetwork(text, out _, out var said));
        Assert.Equal(problem, said);
    }

    [Theory]
    [InlineData("203.0.113.0/24", "::ffff:203.0.113.9", true)]
    [InlineData("203.0.113.0/24", "203.0.114.1", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "203.0.113.9", false)]
    public void Contains_AddressOfEitherFamily_ComparedAsWhatItIs(string network, string address, bool inside)
    {
        Assert.True(NetworkAddresses.TryParseNetwork(network, out var parsed, out _));
        Assert.Equal(inside, NetworkAddresses.Contains(parsed, IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:bbbb::2", "2001:db8:1:2::/64")]
    public void SourceKey_IPv6_OneKeyPerSlash64(string address, string key) =>
        Assert.Equal(key, NetworkAddresses.SourceKey(IPAddress.Parse(address)));

    [Fact]
    public void Split_CommasSemicolonsAndSpaces_Entries() =>
        Assert.Equal(["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"], NetworkAddresses.Split(" 10.0.0.0/8,2001:db8::/32 ;192.0.2.1 ,"));

    [Fact]
    public void AccountAllows_NoSettingAnySource_WithSettingOnlyInside()
    {
        var open = Account(new Dictionary<string, string>());
        var guarded = Account(new Dictionary<string, string> { [AccountNetworks.Setting] = "203.0.113.0/24" });
        Assert.True(AccountNetworks.Allows(open, IPAddress.Parse("198.51.100.1")));
        Assert.True(AccountNetworks.Allows(guarded, IPAddress.Parse("203.0.113.200")));
        Assert.False(AccountNetworks.Allows(guarded, IPAddress.Parse("198.51.100.1")));
        Assert.False(AccountNetworks.Allows(guarded, null));
    }

    [Fact]
    public void AccountProblems_EmptyList_SaysToLeaveItOut()
    {
        var problem = Assert.Single(AccountNetworks.Problems(Account(new Dictionary<string, string> { [AccountNetworks.Setting] = " , " })));
        Assert.Equal("Network:AllowedNetworks lists no network: leave it out to allow every source", problem);
    }

    private static Account Account(Dictionary<string, string> settings) =>
        new("a", "sipuni", "secret-secret", "Europe/Moscow", "RU", new Dictionary<string, string>(settings, StringComparer.OrdinalIgnoreCase), AccountSources.Configuration);
}
