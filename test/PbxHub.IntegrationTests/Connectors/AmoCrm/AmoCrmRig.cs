using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Connectors.AmoCrm;

/// <summary>
/// A hub with an amoCRM connector (101 → user 504142, 102 → 504143, default user 504141) on the stand-in over real HTTP:
/// with the stand-in's long-lived token, or (<c>oauth</c>) installed through the OAuth redirect.
/// </summary>
internal sealed class AmoCrmRig : IAsyncDisposable
{
    public const string ConnectorId = "amo";
    public const string Line = "74951234567";

    /// <summary>A contact the stand-in knows (+79161234567).</summary>
    public const string Client = "89161234567";

    /// <summary>A number the stand-in knows no contact for.</summary>
    public const string Stranger = "89169999999";

    public const int Admin = 504141;
    public const int Anna = 504142;
    public const int Boris = 504143;

    private AmoCrmRig(AmoCrmEmulator emulator, HubServer hub)
    {
        Emulator = emulator;
        Hub = hub;
    }

    public AmoCrmEmulator Emulator { get; }

    public AmoCrmAccount Account => Emulator.Account;

    public HubServer Hub { get; }

    public string EventsUrl => $"{Hub.BaseUrl.TrimEnd('/')}/connectors/{ConnectorId}/events";

    public string InstallUrl => $"{Hub.BaseUrl.TrimEnd('/')}/connectors/{ConnectorId}/install";

    public static async Task<AmoCrmRig> StartAsync(
        bool oauth = false, IDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null, TimeProvider? accountTime = null,
        AmoCrmEmulatorOptions? account = null)
    {
        var emulator = await AmoCrmEmulator.StartAsync("http://127.0.0.1:0", account ?? new AmoCrmEmulatorOptions(), accountTime ?? TimeProvider.System);
        var config = new Dictionary<string, string>
        {
            ["PbxHub:Connectors:0:Id"] = ConnectorId,
            ["PbxHub:Connectors:0:Crm"] = "amocrm",
            ["PbxHub:Connectors:0:Employees:101"] = "504142",
            ["PbxHub:Connectors:0:Employees:102"] = "504143",
            ["PbxHub:Connectors:0:DefaultUser"] = "504141",
            ["PbxHub:Connectors:0:AmoCrm:BaseUrl"] = emulator.BaseUrl,
            ["PbxHub:Connectors:0:AmoCrm:SettleFor"] = "00:00:02",
        };
        if (oauth)
        {
            config["PbxHub:Connectors:0:AmoCrm:ClientId"] = emulator.Account.Options.ClientId;
            config["PbxHub:Connectors:0:AmoCrm:ClientSecret"] = emulator.Account.Options.ClientSecret;
        }
        else
        {
            config["PbxHub:Connectors:0:AmoCrm:Token"] = emulator.Account.Options.LongLivedToken!;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            config[key] = value;
        }

        var hub = await HubServer.StartAsync(config, configure);
        var rig = new AmoCrmRig(emulator, hub);
        if (oauth)
        {
            using var http = new HttpClient();
            using var installed = await emulator.InstallAsync(http, rig.InstallUrl);
            Assert.Equal(System.Net.HttpStatusCode.OK, installed.StatusCode);
        }

        return rig;
    }

    /// <summary>The calls amoCRM added for one of PbxHub's calls (by <c>uniq</c>).</summary>
    public IReadOnlyList<AmoCrmCall> CallsOf(string hubCallId) => Account.Calls.Where(c => c.Uniq == hubCallId).ToList();

    public IReadOnlyList<AmoCrmUnsorted> UnsortedOf(string hubCallId) => Account.Unsorted.Where(u => u.Metadata["uniq"]?.ToString() == hubCallId).ToList();

    public static JsonNode? P(JsonObject o, string name) => o[name];

    public async ValueTask DisposeAsync()
    {
        await Hub.DispatcherIdleAsync();
        await Hub.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
