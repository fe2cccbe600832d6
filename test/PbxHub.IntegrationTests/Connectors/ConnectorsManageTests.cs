using System.Net;
using System.Net.Http.Json;
using PbxHub.IntegrationTests.Connectors.Bitrix24;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Connectors;

/// <summary>Connectors created and deleted through <c>/api/v1/connectors</c>, and employees imported from the CRM (docs/connectors.md).</summary>
public sealed class ConnectorsManageTests
{
    [Fact]
    public async Task Create_ThroughTheApi_FeedsTheCrmUntilDeleted()
    {
        await using var rig = await Bitrix24Rig.StartAsync(declareConnector: false);
        using var created = await rig.Hub.Client.PostAsJsonAsync("/api/v1/connectors", Input(rig, "api-b24"));
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        Assert.Equal("/api/v1/connectors/api-b24", created.Headers.Location?.OriginalString);
        Assert.Contains("\"source\":\"api\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Portal.Options.ClientSecret, text, StringComparison.Ordinal);

        var eventsUrl = $"{rig.Hub.BaseUrl.TrimEnd('/')}/connectors/api-b24/events";
        using var http = new HttpClient();
        using (var installed = await rig.Emulator.InstallAsync(http, eventsUrl))
        {
            Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        }

        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.MissedInbound("api-1", Bitrix24Rig.Client, Bitrix24Rig.Line, "101", 1_764_000_000L));
        await Webhooks.WaitUntilAsync(() => rig.Portal.Accepted.Any(r => r.Method == "telephony.externalCall.finish"), "the call reached the CRM");
        using (var listed = await rig.Hub.Client.GetJsonAsync("/api/v1/connectors"))
        {
            var one = Assert.Single(listed.RootElement.EnumerateArray());
            Assert.True(one.GetProperty("installed").GetBoolean());
        }

        using var deleted = await rig.Hub.Client.DeleteAsync("/api/v1/connectors/api-b24");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await rig.Hub.Client.GetAsync("/api/v1/connectors/api-b24");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var deliveries = await rig.Hub.Client.GetAsync("/api/v1/connectors/api-b24/deliveries");
        Assert.Equal(HttpStatusCode.NotFound, deliveries.StatusCode);
        // The CRM's events are refused once the connector is gone: its tokens were forgotten with it.
        using var late = await rig.Emulator.InstallAsync(http, eventsUrl);
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
    }

    [Fact]
    public async Task Create_UnknownRecordingFormat_ValidationProblemNamingIt()
    {
        await using var rig = await Bitrix24Rig.StartAsync(declareConnector: false);
        using var response = await rig.Hub.Client.PostAsJsonAsync("/api/v1/connectors", new
        {
            id = "ogg", crm = "bitrix24", defaultUser = "1", bitrix24 = new { clientId = "c", clientSecret = "s" }, recordingFormat = "ogg",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("RecordingFormat 'ogg' must be mp3", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutClientId_ValidationProblemNamingIt()
    {
        await using var rig = await Bitrix24Rig.StartAsync(declareConnector: false);
        using var response = await rig.Hub.Client.PostAsJsonAsync("/api/v1/connectors", new { id = "bad", crm = "bitrix24", defaultUser = "1", bitrix24 = new { clientSecret = "s" } });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bitrix24:ClientId is required", text, StringComparison.Ordinal);
        using var listed = await rig.Hub.Client.GetJsonAsync("/api/v1/connectors");
        Assert.Empty(listed.RootElement.EnumerateArray());
    }

    [Fact]
    public async Task CreateOrDelete_ConnectorDeclaredInConfiguration_Conflict()
    {
        await using var rig = await Bitrix24Rig.StartAsync(install: false);

        using var created = await rig.Hub.Client.PostAsJsonAsync("/api/v1/connectors", Input(rig, Bitrix24Rig.ConnectorId));
        using var deleted = await rig.Hub.Client.DeleteAsync($"/api/v1/connectors/{Bitrix24Rig.ConnectorId}");

        Assert.Equal(HttpStatusCode.Conflict, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, deleted.StatusCode);
        Assert.Contains("PbxHub:Connectors", await deleted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var still = await rig.Hub.Client.GetJsonAsync($"/api/v1/connectors/{Bitrix24Rig.ConnectorId}");
        Assert.Equal("configuration", still.RootElement.Str("source"));
    }

    [Fact]
    public async Task ImportEmployees_PortalUsersOverSeveralPages_UnmappedExtensionSentAsItsUser()
    {
        // 120 users: user.get answers 50 a page, so the import reads three.
        var portal = new Bitrix24EmulatorOptions();
        for (var i = 0; i < 117; i++)
        {
            portal.Users[100 + i] = (2000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        portal.Users[11] = "103";
        portal.Users[12] = "101"; // the portal says 101 is user 12; the declared 101 → 5 stays
        await using var rig = await Bitrix24Rig.StartAsync(portal: portal);

        using var imported = await rig.Hub.Client.PostAsync($"/api/v1/connectors/{Bitrix24Rig.ConnectorId}/employees/import", null);
        var text = await imported.Content.ReadAsStringAsync();
        Assert.True(imported.StatusCode == HttpStatusCode.OK, text);
        using (var body = System.Text.Json.JsonDocument.Parse(text))
        {
            Assert.Equal(portal.Users.Count(u => !string.IsNullOrEmpty(u.Value)) - 1, body.RootElement.GetProperty("imported").GetInt32());
            var employees = body.RootElement.GetProperty("employees");
            Assert.Equal("11", employees.Str("103"));
            Assert.Equal("5", employees.Str("101"));
            Assert.Equal("216", employees.Str("2116"));
        }

        Assert.Equal(3, rig.Portal.Accepted.Count(r => r.Method == "user.get"));
        await rig.Hub.Client.SendHooksAsync(rig.Hub.HookPath, SipuniHooks.AnsweredInbound("imp-1", Bitrix24Rig.Client, Bitrix24Rig.Line, "103", 1_764_000_000L));
        await Webhooks.WaitUntilAsync(() => rig.Portal.Accepted.Any(r => r.Method == "telephony.externalCall.finish"), "the call reached the CRM");
        var finish = rig.Portal.Accepted.Single(r => r.Method == "telephony.externalCall.finish");
        Assert.Equal(11, (int)Bitrix24Rig.P(finish, "USER_ID")!);
    }

    [Fact]
    public async Task ImportEmployees_NotInstalled_ConflictProblem()
    {
        await using var rig = await Bitrix24Rig.StartAsync(install: false);
        using var response = await rig.Hub.Client.PostAsync($"/api/v1/connectors/{Bitrix24Rig.ConnectorId}/employees/import", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("not installed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static object Input(Bitrix24Rig rig, string id) => new
    {
        id, crm = "bitrix24", employees = new Dictionary<string, string> { ["101"] = "5" }, defaultUser = "1",
        bitrix24 = new { clientId = rig.Portal.Options.ClientId, clientSecret = rig.Portal.Options.ClientSecret, oAuthUrl = rig.Emulator.BaseUrl },
    };
}
