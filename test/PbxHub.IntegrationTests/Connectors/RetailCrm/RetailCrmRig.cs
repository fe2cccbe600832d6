using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Connectors.RetailCrm;

/// <summary>A hub with a RetailCRM connector (101 → user 5, 102 → user 7, default user 1, store <c>main</c>) feeding the stand-in over real HTTP.</summary>
internal sealed class RetailCrmRig : IAsyncDisposable
{
    public const string ConnectorId = "rc";
    public const string Code = "pbxhub";
    public const string Site = "main";
    public const string Line = "74951234567";
    public const string Client = "89161234567";

    /// <summary>The hub's public address as RetailCRM would reach it (the rig's hub listens on a port chosen at start).</summary>
    public const string PublicBaseUrl = "https://hub.example.com";

    private RetailCrmRig(RetailCrmEmulator emulator, HubServer hub)
    {
        Emulator = emulator;
        Hub = hub;
    }

    public RetailCrmEmulator Emulator { get; }

    public RetailCrmSystem System => Emulator.System;

    public HubServer Hub { get; }

    public string EventsUrl => $"{Hub.BaseUrl.TrimEnd('/')}/connectors/{ConnectorId}/events";

    public static async Task<RetailCrmRig> StartAsync(
        IDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null, RetailCrmEmulatorOptions? system = null)
    {
        var emulator = await RetailCrmEmulator.StartAsync("http://127.0.0.1:0", system ?? new RetailCrmEmulatorOptions());
        var config = new Dictionary<string, string>
        {
            ["PbxHub:Connectors:0:Id"] = ConnectorId,
            ["PbxHub:Connectors:0:Crm"] = "retailcrm",
            ["PbxHub:Connectors:0:Employees:101"] = "5",
            ["PbxHub:Connectors:0:Employees:102"] = "7",
            ["PbxHub:Connectors:0:DefaultUser"] = "1",
            ["PbxHub:Connectors:0:RetailCrm:BaseUrl"] = emulator.BaseUrl,
            ["PbxHub:Connectors:0:RetailCrm:ApiKey"] = emulator.System.Options.ApiKey,
            ["PbxHub:Connectors:0:RetailCrm:Code"] = Code,
            ["PbxHub:Connectors:0:RetailCrm:Site"] = Site,
            ["PbxHub:Connectors:0:RetailCrm:SettleFor"] = "00:00:01",
            ["PbxHub:Outbound:PublicBaseUrl"] = PublicBaseUrl,
            // The provider's recording link goes as recordUrl: no recording is fetched from the providers in these tests.
            ["PbxHub:Recordings:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            // An empty value removes the rig's setting.
            if (value.Length == 0)
            {
                config.Remove(key);
            }
            else
            {
                config[key] = value;
            }
        }

        return new RetailCrmRig(emulator, await HubServer.StartAsync(config, configure));
    }

    /// <summary>The call events the system took for one call of the hub, in order.</summary>
    public IReadOnlyList<JsonObject> EventsOf(string hubCallId) => [.. System.Events.Where(e => (string?)e["callExternalId"] == hubCallId)];

    public IReadOnlyList<JsonObject> UploadsOf(string hubCallId) => [.. System.Calls.Where(c => (string?)c["externalId"] == hubCallId)];

    /// <summary>The <c>calls/upload</c> requests the system accepted, each with its calls.</summary>
    public IReadOnlyList<JsonArray> UploadRequests => [.. System.Accepted.Where(r => r.Method == "telephony/calls/upload")
        .Select(r => (JsonArray)JsonNode.Parse(r.Parameters["calls"]!.ToString())!)];

    public static string Short(JsonObject e) => $"{e["type"]} {string.Join(",", (e["codes"] as JsonArray ?? []).Select(c => c!.ToString()))}".TrimEnd();

    public async ValueTask DisposeAsync()
    {
        await Hub.DispatcherIdleAsync();
        await Hub.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
