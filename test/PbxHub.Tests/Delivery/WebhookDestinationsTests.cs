using Microsoft.Extensions.Options;
using PbxHub.Delivery;

namespace PbxHub.Tests.Delivery;

/// <summary>The subscription URLs refused by address, whatever way the address is written.</summary>
public sealed class WebhookDestinationsTests
{
    private static readonly WebhookDestinations Default = new(Options.Create(new DeliveryOptions()));

    private static readonly WebhookDestinations Strict = new(Options.Create(new DeliveryOptions
    {
        BlockedNetworks = "169.254.0.0/16, fe80::/10, 127.0.0.0/8, ::1, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7",
    }));

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://0xA9FEA9FE/")] // the same address in hexadecimal
    [InlineData("http://2852039166/")] // and as one decimal number
    [InlineData("http://[::ffff:169.254.169.254]/")] // and mapped into IPv6
    [InlineData("https://[fe80::1%25eth0]:8443/hook")]
    public void Problem_MetadataAddressWrittenAnyWay_RefusedByDefault(string url)
    {
        Assert.Contains("PbxHub:Delivery:BlockedNetworks", Default.Problem(new Uri(url)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("https://crm.example.com/hook")] // a name is judged when connecting, on what it resolves to
    public void Problem_LoopbackPrivateOrName_AllowedByDefault(string url)
    {
        Assert.Null(Default.Problem(new Uri(url)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.0.10/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::5]/hook")]
    public void Problem_InternalAddressesWithTheStrictList_Refused(string url)
    {
        Assert.NotNull(Strict.Problem(new Uri(url)));
    }

    [Fact]
    public void Problem_PublicAddressWithTheStrictList_Allowed()
    {
        Assert.Null(Strict.Problem(new Uri("https://203.0.113.10/hook")));
    }

    [Fact]
    public void Validate_MalformedEntry_NamesTheSettingAndTheEntry()
    {
        var options = new DeliveryOptions { BlockedNetworks = "10.0.0.0/8, 10.0.0.0/40" };

        var problems = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        var problem = Assert.Single(problems);
        Assert.Contains("PbxHub:Delivery:BlockedNetworks: '10.0.0.0/40'", problem.ErrorMessage, StringComparison.Ordinal);
    }
}
