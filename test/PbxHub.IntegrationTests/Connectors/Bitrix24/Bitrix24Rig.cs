using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Connectors.Bitrix24;

/// <summary>A hub with a Bitrix24 connector (101 → user 5, 102 → user 7, default user 1) installed on the stand-in over real HTTP.</summary>
internal sealed class Bitrix24Rig : IAsyncDisposable
{
    public const string ConnectorId = "b24";
    public const string Line = "74951234567";
    public const string Client = "89161234567";

    private Bitrix24Rig(Bitrix24Emulator portal, HubServer hub)
    {
        Emulator = portal;
        Hub = hub;
    }

    public Bitrix24Emulator Emulator { get; }

    public Bitrix24Portal Portal => Emulator.Portal;

    public HubServer Hub { get; }

    public string EventsUrl => $"{Hub.BaseUrl.TrimEnd('/')}/connectors/{ConnectorId}/events";

    public static async Task<Bitrix24Rig> StartAsync(
        TimeProvider? portalTime = null, Action<WebApplicationBuilder>? configure = null, IDictionary<string, string>? settings = null, bool install = true,
        Bitrix24EmulatorOptions? portal = null, bool declareConnector = true)
    {
        var emulator = await Bitrix24Emulator.StartAsync("http://127.0.0.1:0", portal ?? new Bitrix24EmulatorOptions(), portalTime ?? TimeProvider.System);
        var config = new Dictionary<string, string>
        {
            ["PbxHub:Connectors:0:Id"] = ConnectorId,
            ["PbxHub:Connectors:0:Crm"] = "bitrix24",
            ["PbxHub:Connectors:0:Employees:101"] = "5",
            ["PbxHub:Connectors:0:Employees:102"] = "7",
            ["PbxHub:Connectors:0:DefaultUser"] = "1",
            ["PbxHub:Connectors:0:Bitrix24:ClientId"] = emulator.Portal.Options.ClientId,
            ["PbxHub:Connectors:0:Bitrix24:ClientSecret"] = emulator.Portal.Options.ClientSecret,
            ["PbxHub:Connectors:0:Bitrix24:OAuthUrl"] = emulator.BaseUrl,
        };
        if (!declareConnector)
        {
            config.Clear();
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            config[key] = value;
        }

        var hub = await HubServer.StartAsync(config, configure);
        var rig = new Bitrix24Rig(emulator, hub);
        if (install && declareConnector)
        {
            using var http = new HttpClient();
            using var installed = await emulator.InstallAsync(http, rig.EventsUrl);
            Assert.Equal(System.Net.HttpStatusCode.OK, installed.StatusCode);
        }

        return rig;
    }

    /// <summary>The methods the portal accepted for one call (by its CALL_ID once registered), in order.</summary>
    public IReadOnlyList<Bitrix24Request> AcceptedFor(string hubCallId)
    {
        var crmCallId = Portal.Calls.FirstOrDefault(c => c.ExternalId == hubCallId)?.CallId;
        return Portal.Accepted.Where(r => r.Parameters["EXTERNAL_CALL_ID"]?.ToString() == hubCallId
            || (crmCallId is not null && r.Parameters["CALL_ID"]?.ToString() == crmCallId)).ToList();
    }

    public static string Short(Bitrix24Request r) => r.Method.Replace("telephony.externalCall.", "", StringComparison.Ordinal);

    public static JsonNode? P(Bitrix24Request r, string name) => r.Parameters[name];

    public async ValueTask DisposeAsync()
    {
        // Deliveries still in flight (the steps queued behind a finish go at once after it) write the call's state: stopping
        // the hub under them races the database's disposal, so the rig lets them end first.
        await Hub.DispatcherIdleAsync();
        await Hub.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
