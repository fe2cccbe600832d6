using System.Net;
using System.Text.Json.Nodes;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using static PbxHub.IntegrationTests.Connectors.RetailCrm.RetailCrmRig;

namespace PbxHub.IntegrationTests.Connectors.RetailCrm;

/// <summary>The system's users imported by phone, and the module registered again with the mapping now in use.</summary>
public sealed class RetailCrmEmployeesTests
{
    [Fact]
    public async Task Import_UsersWithPhones_MappedAndTheModuleRegisteredAgainBeforeTheNextCall()
    {
        await using var rig = await RetailCrmRig.StartAsync();
        using var installed = await rig.Hub.Client.PostAsync($"/connectors/{ConnectorId}/install", null);
        Assert.Equal(2, rig.System.Module(Code)!["integrations"]!["telephony"]!["additionalCodes"]!.AsArray().Count);

        using var imported = await rig.Hub.Client.PostAsync($"/api/v1/connectors/{ConnectorId}/employees/import", null);

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var answer = JsonNode.Parse(await imported.Content.ReadAsStringAsync())!;
        Assert.Equal(3, (int)answer["imported"]!);
        Assert.Equal("7", (string?)answer["employees"]!["+79990000102"]);
        Assert.Equal("5", (string?)answer["employees"]!["101"]);
        var edits = rig.System.Accepted.Count(r => r.Method == $"integration-modules/{Code}/edit");

        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("after-import", Client, Line, "101", 1_764_000_000L));
        await Webhooks.WaitUntilAsync(() => rig.UploadsOf(StableIds.CallId(HubServer.AccountId, "after-import")).Count == 1, "the call uploaded");

        Assert.Equal(edits + 1, rig.System.Accepted.Count(r => r.Method == $"integration-modules/{Code}/edit"));
        var codes = rig.System.Module(Code)!["integrations"]!["telephony"]!["additionalCodes"]!.AsArray();
        Assert.Contains(codes, c => (string?)c!["code"] == "+79990000100" && (int)c["userId"]! == 1);
        Assert.Contains(codes, c => (string?)c!["code"] == "101" && (int)c["userId"]! == 5);
    }

    [Fact]
    public async Task Import_NoUserHasAPhone_FailsSayingWhereToMapExtensions()
    {
        await using var rig = await RetailCrmRig.StartAsync(system: new() { Users = new() { [1] = null, [5] = "" } });

        using var imported = await rig.Hub.Client.PostAsync($"/api/v1/connectors/{ConnectorId}/employees/import", null);

        Assert.Equal(HttpStatusCode.BadGateway, imported.StatusCode);
        Assert.Contains("map the extensions in Employees", await imported.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
