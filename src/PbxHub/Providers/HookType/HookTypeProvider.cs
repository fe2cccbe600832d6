using PbxHub.Providers.HookType.Simulator;
using PbxHub.Simulation;

namespace PbxHub.Providers.HookType;

/// <summary>HookType's registration: everything the hub knows about the provider (docs/adding-a-provider.md).</summary>
internal static class HookTypeProvider
{
    public static ProviderDescriptor Descriptor { get; } = new(new HookTypeAdapter())
    {
        Simulator = settings => new HookTypeScenarioGenerator(settings.Zone(HookTypeScenarioGenerator.UsualZone)),
        Examples = HookExamples.Embedded("HookType"),
        TextsEn = new Dictionary<string, string>
        {
            ["provider.hooktype"] = "HookType (Russia): sends call events; cannot place calls through PbxHub.",
            ["missed.unsupported.hooktype"] = "HookType accounts cannot place calls through PbxHub: call back from the phone.",
        },
        TextsRu = new Dictionary<string, string>
        {
            ["provider.hooktype"] = "HookType (Россия): присылает события звонков; звонить через PbxHub не умеет.",
            ["missed.unsupported.hooktype"] = "Аккаунты HookType не умеют звонить через PbxHub: перезвоните с телефона.",
        },
    };
}
