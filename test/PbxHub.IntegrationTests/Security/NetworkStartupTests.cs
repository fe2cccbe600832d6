using Microsoft.Extensions.Options;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Security;

/// <summary><c>PbxHub:Network</c> is checked at start-up: a hub with a wrong setting does not start, and says which.</summary>
public sealed class NetworkStartupTests
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "PbxHub:Network:KnownNetworks:0", "10.0.0.0/40", "PbxHub:Network:KnownNetworks: '10.0.0.0/40' is not an IPv4 or IPv6 address or network" },
        { "PbxHub:Network:KnownNetworks", "10.0.0.0/24, 192.168.1.1/24", "PbxHub:Network:KnownNetworks: '192.168.1.1/24' has bits set after its /24 prefix: the network is 192.168.1.0/24" },
        { "PbxHub:Network:KnownProxies:0", "nginx.internal", "PbxHub:Network:KnownProxies: 'nginx.internal' is not an IPv4 or IPv6 address" },
        { "PbxHub:Network:KnownProxies", "10.1", "PbxHub:Network:KnownProxies: '10.1' is not an IPv4 or IPv6 address" },
        { "PbxHub:Network:RateLimits:HooksPerAccount:Window", "00:00:00", "PbxHub:Network:RateLimits:HooksPerAccount:Window must be between" },
        { "PbxHub:Network:RateLimits:ApiPerSource:PermitLimit", "-1", "PbxHub:Network:RateLimits:ApiPerSource:PermitLimit must be 0 (no limit) or more" },
        { "PbxHub:Network:MaxApiBodyBytes", "10", "PbxHub:Network:MaxApiBodyBytes must be between 1024" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_BadNetworkSetting_FailsNamingKeyAndValue(string key, string value, string message)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => HubServer.StartAsync(new Dictionary<string, string> { [key] = value }));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
