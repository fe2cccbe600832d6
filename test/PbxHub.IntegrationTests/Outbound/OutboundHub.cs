using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Outbound;

/// <summary>A hub with a UIS account (declared in configuration) and an Evrotel account pointing at the stand-ins.</summary>
internal static class OutboundHub
{
    public const string UisAccount = "acme-uis";
    public const string EvrotelAccount = "acme-evrotel";
    public const string EvrotelToken = "G7bng65jYk8GF294";

    /// <param name="evrotelTimeZone">The Evrotel account's declared zone; null declares none (the provider's default applies).</param>
    /// <param name="time">The hub's clock; null keeps the machine's.</param>
    /// <param name="configure">More set-up of the hub's host (after the clock).</param>
    public static Task<HubServer> StartAsync(
        EmulatorHost? uis, EmulatorHost? evrotel, IDictionary<string, string>? extra = null, string? evrotelTimeZone = "Europe/Kyiv",
        TimeProvider? time = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var settings = new Dictionary<string, string>(extra ?? new Dictionary<string, string>());
        if (uis is not null)
        {
            settings["PbxHub:Accounts:1:Id"] = UisAccount;
            settings["PbxHub:Accounts:1:Provider"] = "uis";
            settings["PbxHub:Accounts:1:Uis:BaseUrl"] = uis.BaseUrl;
            settings["PbxHub:Accounts:1:Uis:Login"] = "bbb";
            settings["PbxHub:Accounts:1:Uis:Password"] = "bbb";
            settings["PbxHub:Accounts:1:Uis:ServiceNumber"] = "74993720692";
        }

        if (evrotel is not null)
        {
            settings["PbxHub:Accounts:2:Id"] = EvrotelAccount;
            settings["PbxHub:Accounts:2:Provider"] = "evrotel";
            if (evrotelTimeZone is not null)
            {
                settings["PbxHub:Accounts:2:TimeZone"] = evrotelTimeZone;
            }

            settings["PbxHub:Accounts:2:Evrotel:Token"] = EvrotelToken;
            settings["PbxHub:Accounts:2:Evrotel:BillCode"] = "20558";
            settings["PbxHub:Accounts:2:Evrotel:BaseUrl"] = evrotel.BaseUrl;
        }

        return HubServer.StartAsync(settings, b =>
        {
            if (time is not null)
            {
                b.Services.AddSingleton(time);
            }

            configure?.Invoke(b);
        });
    }
}
