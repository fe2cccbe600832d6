using PbxHub.Providers.Sipuni.Simulator;
using PbxHub.Simulation;

namespace PbxHub.Providers.Sipuni;

/// <summary>Sipuni's registration: everything the hub knows about the provider (docs/adding-a-provider.md).</summary>
internal static class SipuniProvider
{
    public static ProviderDescriptor Descriptor { get; } = new(new SipuniAdapter())
    {
        History = typeof(SipuniHistoryReader),
        Simulator = settings => new SipuniScenarioGenerator(settings.UserNumber, settings.RecordingServer),
        Examples = HookExamples.Embedded("Sipuni"),
        TextsEn = new Dictionary<string, string>
        {
            ["provider.sipuni"] = "Sipuni (Russia): sends call events; cannot place calls through PbxHub.",
            ["missed.unsupported.sipuni"] = "Sipuni accounts cannot place calls through PbxHub: call back from the phone.",
        },
        TextsRu = new Dictionary<string, string>
        {
            ["provider.sipuni"] = "Sipuni (Россия): присылает события звонков; звонить через PbxHub не умеет.",
            ["missed.unsupported.sipuni"] = "Аккаунты Sipuni не умеют звонить через PbxHub: перезвоните с телефона.",
        },
    };
}
