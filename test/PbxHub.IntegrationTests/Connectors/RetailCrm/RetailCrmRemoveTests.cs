using System.Net;
using System.Net.Http.Json;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Connectors.RetailCrm;

/// <summary>
/// Removing a RetailCRM connector created through the API deactivates its module in RetailCRM, so the system stops
/// offering PbxHub's calls to a connector that is gone (docs/connectors/retailcrm.md#registration).
/// </summary>
public sealed class RetailCrmRemoveTests
{
    private const string Id = "rc-api";
    private const string Code = "pbxhub-api";

    [Fact]
    public async Task DeleteConnector_ModuleRegistered_DeactivatedInRetailCrmAndTheConnectorGone()
    {
        await using var rig = await RetailCrmRig.StartAsync();
        await CreateAndInstallAsync(rig);
        Assert.True((bool)rig.System.Module(Code)!["active"]!);

        using var deleted = await rig.Hub.Client.DeleteAsync($"/api/v1/connectors/{Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var module = rig.System.Module(Code)!;
        Assert.False((bool)module["active"]!);
        Assert.Equal($"{RetailCrmRig.PublicBaseUrl}/connectors/{Id}/events", (string?)module["integrations"]!["telephony"]!["makeCallUrl"]);
        using var gone = await rig.Hub.Client.GetAsync($"/api/v1/connectors/{Id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task DeleteConnector_RetailCrmDown_RemovedAnywayAndTheModuleLeftAsItWas()
    {
        await using var rig = await RetailCrmRig.StartAsync();
        await CreateAndInstallAsync(rig);
        rig.System.Down = true;

        using var deleted = await rig.Hub.Client.DeleteAsync($"/api/v1/connectors/{Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await rig.Hub.Client.GetAsync($"/api/v1/connectors/{Id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.True((bool)rig.System.Module(Code)!["active"]!);
    }

    private static async Task CreateAndInstallAsync(RetailCrmRig rig)
    {
        using var created = await rig.Hub.Client.PostAsJsonAsync("/api/v1/connectors", new
        {
            id = Id, crm = "retailcrm", employees = new Dictionary<string, string> { ["101"] = "5" },
            retailCrm = new { baseUrl = rig.Emulator.BaseUrl, apiKey = rig.System.Options.ApiKey, code = Code, site = RetailCrmRig.Site },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var installed = await rig.Hub.Client.PostAsync($"/connectors/{Id}/install", null);
        Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
    }
}
