using PbxHub.Providers.Evrotel.Simulator;
using PbxHub.Simulation;

namespace PbxHub.Providers.Evrotel;

/// <summary>Evrotel's registration: everything the hub knows about the provider (docs/adding-a-provider.md).</summary>
internal static class EvrotelProvider
{
    public static ProviderDescriptor Descriptor { get; } = new(new EvrotelAdapter())
    {
        Outbound = typeof(EvrotelClient),
        History = typeof(EvrotelHistoryReader),
        Simulator = settings => new EvrotelScenarioGenerator(settings.Zone(EvrotelScenarioGenerator.UsualZone), settings.RecordingBaseUrl),
        Examples = HookExamples.Embedded("Evrotel"),
        TextsEn = new Dictionary<string, string>
        {
            ["provider.evrotel"] = "Evrotel (Ukraine): call events with a token header; places calls and autodials.",
            ["problem.evrotel.401"] = "Evrotel refused the token. Check Evrotel:Token (issued by Evrotel's manager) and that the bill code belongs to it.",
            ["problem.evrotel.403"] = "Evrotel refused the token. Check Evrotel:Token (issued by Evrotel's manager) and that the bill code belongs to it.",
        },
        TextsRu = new Dictionary<string, string>
        {
            ["provider.evrotel"] = "Evrotel (Украина): события звонков с токеном в заголовке; умеет звонить и автообзвон.",
            ["problem.evrotel.401"] = "Evrotel не принял токен. Проверьте Evrotel:Token (его выдаёт менеджер Evrotel) и что код счёта (bill code) относится к нему.",
            ["problem.evrotel.403"] = "Evrotel не принял токен. Проверьте Evrotel:Token (его выдаёт менеджер Evrotel) и что код счёта (bill code) относится к нему.",
        },
    };
}
