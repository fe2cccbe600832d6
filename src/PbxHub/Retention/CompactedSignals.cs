using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PbxHub.Calls;

namespace PbxHub.Retention;

/// <summary>
/// What a call's raw requests said, kept when the requests themselves are pruned: the signals their
/// adapter read from them, as one JSON array. The fold is a function of the set of signals, so a call
/// folded from this array (plus any later raw event) is the record it was, and replay rebuilds it.
/// Each signal is tagged with its type's name: renaming a signal type needs the old name kept here.
/// </summary>
internal static class CompactedSignals
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // Times keep their offset exactly as the adapter produced them.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { Polymorphic } },
    };

    public static byte[] Write(IEnumerable<CallSignal> signals) => JsonSerializer.SerializeToUtf8Bytes(signals.ToList(), Options);

    public static IReadOnlyList<CallSignal> Read(byte[] body) => JsonSerializer.Deserialize<List<CallSignal>>(body, Options) ?? [];

    private static void Polymorphic(JsonTypeInfo info)
    {
        if (info.Type == typeof(CallSignal))
        {
            info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "$signal" };
            foreach (var type in typeof(CallSignal).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CallSignal)) && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
            }
        }
        else if (info.Type.IsSubclassOf(typeof(CallSignal)))
        {
            // Rank is derived from the type; it is not data.
            foreach (var rank in info.Properties.Where(p => p.Name == "rank").ToList())
            {
                info.Properties.Remove(rank);
            }
        }
    }
}
