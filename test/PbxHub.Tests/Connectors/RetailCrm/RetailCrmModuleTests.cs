using System.Text.Json.Nodes;
using PbxHub.Connectors;
using PbxHub.Connectors.RetailCrm;

namespace PbxHub.Tests.Connectors.RetailCrm;

public sealed class RetailCrmModuleTests
{
    private static ConnectorOptions Connector(string? site = null, string? logo = null) => new()
    {
        Id = "rc", Crm = "retailcrm", Employees = new(StringComparer.OrdinalIgnoreCase) { ["102"] = "7", ["101"] = "5" },
        RetailCrm = new() { BaseUrl = "https://example.retailcrm.ru", ApiKey = "key", Code = "pbxhub", Site = site, Logo = logo },
    };

    private static readonly RetailCrmSecrets Secrets = new() { ClientId = "c1", Lines = ["+74951234568", "+74951234567"] };

    [Fact]
    public void Module_WithSiteAndLogo_MakeCallUrlOnThePublicAddressCodesAndLinesSorted()
    {
        var module = RetailCrmModule.Module(Connector("main", "https://hub.example.com/logo.svg"), Secrets, "https://hub.example.com/");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(
            """
            {"code":"pbxhub","integrationCode":"pbxhub","active":true,"name":"PbxHub","clientId":"c1","baseUrl":"https://hub.example.com",
             "logo":"https://hub.example.com/logo.svg",
             "integrations":{"telephony":{"makeCallUrl":"https://hub.example.com/connectors/rc/events","allowEdit":false,
               "inputEventSupported":true,"outputEventSupported":true,"hangupEventSupported":true,
               "additionalCodes":[{"userId":5,"code":"101"},{"userId":7,"code":"102"}],
               "externalPhones":[{"siteCode":"main","externalPhone":"+74951234567"},{"siteCode":"main","externalPhone":"+74951234568"}]}}}
            """), module), module.ToJsonString());
    }

    [Fact]
    public void Module_NoSiteNoLogo_NeitherExternalPhonesNorLogo()
    {
        var module = RetailCrmModule.Module(Connector(), Secrets, "https://hub.example.com");

        Assert.False(module.ContainsKey("logo"));
        Assert.False(module["integrations"]!["telephony"]!.AsObject().ContainsKey("externalPhones"));
    }
}
