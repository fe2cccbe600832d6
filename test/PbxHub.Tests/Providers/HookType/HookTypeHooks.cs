using System.Text;
using System.Text.Json;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Providers.HookType;
using PbxHub.Storage;

namespace PbxHub.Tests.Providers.HookType;

/// <summary>HookType webhooks as the PBX posts them (docs/providers/hooktype-dialect.md), folded the way the hub folds them.</summary>
internal static class HookTypeHooks
{
    /// <summary>A Moscow account (UTC+3 all year since 2014), numbers read as Russian.</summary>
    public static readonly Account Account = new(
        "ht", "hooktype", "secret-secret", "Europe/Moscow", "RU", new Dictionary<string, string>(), AccountSources.Configuration);

    public static readonly HookTypeAdapter Adapter = new();

    public static readonly CallRecords Builder = new(new ProviderRegistry([Adapter]), new PbxHub.Reconciliation.HistoryRegistry([]));

    /// <summary>The spec's example of a hook type, byte for byte.</summary>
    public static byte[] Example(string hookType) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hooktype", hookType + ".json"));

    /// <summary>The AttemptIncCallEnd example as printed lacks its closing brace; this is it completed.</summary>
    public static byte[] CompletedAttemptIncCallEnd() => [.. Example("AttemptIncCallEnd"), .. "\n}"u8];

    public static RawRequest Post(byte[] body, string? contentType = "application/json") =>
        new("POST", contentType, "", body, new Dictionary<string, string>(), DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    public static HookParse Parse(byte[] body, string? contentType = "application/json") => Adapter.Parse(Account, Post(body, contentType));

    public static HookParse Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>A hook body with the fields in the given order (values as JSON strings or numbers).</summary>
    public static string Hook(string session, string hookType, params (string Name, object Value)[] fields)
    {
        var all = new Dictionary<string, object> { ["SessionID"] = session, ["HookType"] = hookType };
        foreach (var (name, value) in fields)
        {
            all[name] = value;
        }

        return JsonSerializer.Serialize(all);
    }

    /// <summary>Folds bodies as the stored raw events of one call.</summary>
    public static CallRecord Fold(IEnumerable<byte[]> bodies)
    {
        var rows = bodies.Select((body, i) =>
        {
            var parsed = Assert.IsType<HookParse.Parsed>(Parse(body));
            return new RawRow(i + 1, Account.Id, "hooktype", RawKinds.Hook, parsed.CallKey, parsed.DedupeKey, Post(body), null);
        }).ToList();
        Assert.Single(rows.Select(r => r.CallKey).Distinct());
        return Builder.Fold(Account, rows[0].CallKey!, rows)!;
    }

    public static CallRecord Fold(params string[] jsonBodies) => Fold(jsonBodies.Select(Encoding.UTF8.GetBytes));

    public static DateTimeOffset Utc(string text) =>
        DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    public static Party Employee(string raw, string id) => new(raw, null, id);

    public static Party Number(string raw, string e164) => new(raw, e164, null);
}
