using System.Text.Json;
using CsCheck;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Providers.Uis;
using PbxHub.Storage;
using PbxHub.Simulation;

namespace PbxHub.Tests.Fuzzing;

/// <summary>
/// Every adapter's parse, fed hostile versions of its provider's real payloads: it returns a parse or a failure and
/// never throws; a parse folds into a call (and its events) without throwing, and parsing again gives the same.
/// </summary>
public sealed class AdapterFuzzTests
{
    private const int Iterations = 4_000;

    /// <summary>Every shipped provider that sends hooks: one added without fuzz seeds fails here (docs/adding-a-provider.md).</summary>
    public static TheoryData<string> Providers => [.. ProviderCatalog.Builtin.All
        .Where(p => p.Adapter.HookPath(new Account("any", p.Name, "secret", "UTC", "RU", new Dictionary<string, string>(), "test")) is not null)
        .Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Providers))]
    public void RealPayloads_EveryProviderThatSendsHooks_HasSeeds(string provider) =>
        Assert.NotEmpty(RealPayloads.For(provider));

    [Theory]
    [MemberData(nameof(Providers))]
    public void Parse_HostileVersionsOfRealPayloads_ParsesOrFailsAndFoldsWithoutThrowing(string provider)
    {
        var (account, adapter) = AccountOf(provider);
        var builder = new CallRecords(new ProviderRegistry([adapter]), new PbxHub.Reconciliation.HistoryRegistry([]));

        HostileRequests.For(provider).Sample(hostile =>
        {
            var request = Raw(hostile);
            var safe = adapter.ParseSafely(account, request);
            Assert.True(Storable(safe is HookParse.Failed f ? f.Reason : ((HookParse.Parsed)safe).CallKey), $"unstorable text in {safe}");
            switch (adapter.Parse(account, request))
            {
                case HookParse.Failed failed:
                    Assert.False(string.IsNullOrWhiteSpace(failed.Reason));
                    Assert.Equal(400, adapter.Rejected(failed.Reason).StatusCode);
                    break;
                case HookParse.Parsed parsed:
                    AssertFolds(account, adapter, builder, request, parsed);
                    break;
                default:
                    Assert.Fail("neither parsed nor failed");
                    break;
            }
        }, iter: Iterations, print: h => h.ToString());
    }

    [Fact]
    public void Parse_UisHookRequests_AlwaysFailsBecauseUisSendsNoEvents()
    {
        var account = new Account("uis", "uis", "", "Europe/Moscow", "RU", new Dictionary<string, string>(), AccountSources.Configuration);
        var adapter = new UisAdapter();
        Gen.OneOf(HostileRequests.For("sipuni"), HostileRequests.For("hooktype"), HostileRequests.For("evrotel")).Sample(
            hostile => adapter.Parse(account, Raw(hostile)) is HookParse.Failed { Reason.Length: > 0 },
            iter: 500, print: h => h.ToString());
    }

    private static void AssertFolds(Account account, IProviderAdapter adapter, CallRecords builder, RawRequest request, HookParse.Parsed parsed)
    {
        Assert.False(string.IsNullOrEmpty(parsed.CallKey));
        Assert.False(string.IsNullOrEmpty(parsed.DedupeKey));
        Assert.NotEmpty(parsed.Signals);

        // Replay parses the stored request again: the same request must give the same event.
        var again = Assert.IsType<HookParse.Parsed>(adapter.Parse(account, request));
        Assert.Equal((parsed.CallKey, parsed.DedupeKey), (again.CallKey, again.DedupeKey));
        Assert.Equal(parsed.Signals, again.Signals);

        var reply = adapter.Accepted(account, parsed, new StoredRaw(1, false));
        Assert.Equal(200, reply.StatusCode);

        var row = new RawRow(1, account.Id, account.Provider, RawKinds.Hook, parsed.CallKey, parsed.DedupeKey, request, null);
        var call = builder.Fold(account, parsed.CallKey, [row]);
        Assert.NotNull(call);
        var record = CallJson.Serialize(call);
        Assert.DoesNotContain("\\u0000", record, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(record);
        _ = CallEvents.Of(call).ToList();
    }

    /// <summary>
    /// An account of the provider as its registration sets one up: its zone and country, and the settings its simulator's
    /// traffic needs (docs/adding-a-provider.md), so a new provider needs nothing here.
    /// </summary>
    private static (Account, IProviderAdapter) AccountOf(string provider)
    {
        var descriptor = ProviderCatalog.Builtin.Find(provider)!;
        var adapter = descriptor.Adapter;
        const string secret = "fuzz-secret-0123456789";
        var settings = descriptor.Simulator?.Invoke(new GeneratorSettings("012345")).AccountSettings(secret) ?? new Dictionary<string, string>();
        return (new Account("fuzz", provider, secret, adapter.DefaultTimeZone, adapter.DefaultCountry, settings, AccountSources.Configuration), adapter);
    }

    /// <summary>Text either engine stores as it is: no NUL, no half surrogate pair.</summary>
    private static bool Storable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (text[i] == '\0' || char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    internal static RawRequest Raw(HostileRequest hostile) =>
        new(hostile.Method, hostile.ContentType, hostile.Query, hostile.Body, new Dictionary<string, string>(), DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
}
