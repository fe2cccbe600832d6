using System.Collections.Frozen;
using PbxHub.Dashboard;
using PbxHub.Providers.Evrotel;
using PbxHub.Providers.HookType;
using PbxHub.Providers.Sipuni;
using PbxHub.Providers.Uis;

namespace PbxHub.Providers;

/// <summary>The registered providers, looked up by name (as YARP looks up its policies); the one list a new provider joins.</summary>
internal sealed class ProviderCatalog : NamedRegistry<ProviderDescriptor>
{
    /// <summary>The providers PbxHub ships, one line each.</summary>
    public static ProviderCatalog Builtin { get; } = new(
    [
        SipuniProvider.Descriptor,
        HookTypeProvider.Descriptor,
        EvrotelProvider.Descriptor,
        UisProvider.Descriptor,
    ]);

    public ProviderCatalog(IEnumerable<ProviderDescriptor> providers)
        : this(providers.ToList())
    {
    }

    private ProviderCatalog(List<ProviderDescriptor> providers)
        : base(providers, p => p.Name)
    {
        All = providers;
        var problems = All.SelectMany(p => p.Problems()).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Incomplete provider registration: " + string.Join("; ", problems));
        }
    }

    private FrozenDictionary<string, string>? textsEn;
    private FrozenDictionary<string, string>? textsRu;

    public IReadOnlyList<ProviderDescriptor> All { get; }

    /// <summary>The providers that <c>pbxhub simulate</c> can generate traffic for.</summary>
    public IReadOnlyList<string> Simulated => All.Where(p => p.Simulator is not null).Select(p => p.Name).ToList();

    /// <summary>The catalog with one more provider (a test's made-up one).</summary>
    public ProviderCatalog With(ProviderDescriptor provider) => new(All.Append(provider));

    /// <summary>The dashboard's English texts with every provider's own.</summary>
    public FrozenDictionary<string, string> TextsEn => textsEn ??= Texts(UiTextsEn.All, p => p.TextsEn);

    /// <summary>The dashboard's Russian texts with every provider's own.</summary>
    public FrozenDictionary<string, string> TextsRu => textsRu ??= Texts(UiTextsRu.All, p => p.TextsRu);

    private FrozenDictionary<string, string> Texts(
        IReadOnlyDictionary<string, string> common, Func<ProviderDescriptor, IReadOnlyDictionary<string, string>> own) =>
        common.Concat(All.SelectMany(own)).ToFrozenDictionary(kv => kv.Key, kv => kv.Value);
}
