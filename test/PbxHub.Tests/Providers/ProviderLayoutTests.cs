using PbxHub.Providers;
using PbxHub.Simulation;

namespace PbxHub.Tests.Providers;

/// <summary>A provider is one folder and one line (docs/adding-a-provider.md): what its registration names lives in its folder.</summary>
public sealed class ProviderLayoutTests
{
    public static TheoryData<string> Simulated => [.. ProviderCatalog.Builtin.Simulated];

    [Theory]
    [MemberData(nameof(Simulated))]
    public void Simulator_ShippedProvider_ItsGeneratorLivesInItsOwnFolder(string provider)
    {
        var descriptor = ProviderCatalog.Builtin.Find(provider)!;

        var generator = descriptor.Simulator!(new GeneratorSettings("012345"));

        Assert.Equal(provider, generator.Provider);
        Assert.Equal(descriptor.Adapter.GetType().Namespace + ".Simulator", generator.GetType().Namespace);
    }

    [Fact]
    public void Simulation_SharedFolder_HoldsNoProvidersGenerator()
    {
        var generators = typeof(IScenarioGenerator).Assembly.GetTypes()
            .Where(t => !t.IsInterface && typeof(IScenarioGenerator).IsAssignableFrom(t));

        Assert.All(generators, t => Assert.StartsWith("PbxHub.Providers.", t.Namespace, StringComparison.Ordinal));
    }

    [Fact]
    public void Examples_ShippedProviders_ReadFromTheirOwnFolders()
    {
        var examples = ProviderCatalog.Builtin.All.ToDictionary(p => p.Name, p => p.Examples.Select(e => (e.Name, e.Wire)).ToList());

        Assert.Equal(7, examples["sipuni"].Count);
        Assert.All(examples["sipuni"], e => Assert.Equal(HookWire.Query, e.Wire));
        Assert.Contains(("CreateIncCall.json", HookWire.Json), examples["hooktype"]);
        Assert.Equal([("end.json", HookWire.Json), ("php-sender-end.form", HookWire.Form), ("start.form", HookWire.Form), ("start.json", HookWire.Json)], examples["evrotel"]);
        Assert.Empty(examples["uis"]);
        // Built into the assembly byte for byte: the same bytes the provider tests read as fixtures.
        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "evrotel", "start.form")),
            ProviderCatalog.Builtin.Find("evrotel")!.Examples.Single(e => e.Name == "start.form").Payload);
    }
}
