using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;

namespace PbxHub.Providers.Sipuni;

/// <summary>
/// Sipuni's HTTP API call events (docs/providers/sipuni-dialect.md): event=1 call, 2 hang-up, 3 answer, 4 secondary hang-up,
/// sent as GET query or POST form parameters, answered with <c>{"success": true}</c>.
/// </summary>
internal sealed class SipuniAdapter : IProviderAdapter
{
    public string Name => "sipuni";

    public string HookPath(Account account) => PathSecretHooks.HookPath(account);

    public bool SecretInPath => true;

    public string DefaultTimeZone => "Europe/Moscow";

    public string DefaultCountry => "RU";

    public IEnumerable<string> SettingsProblems(Account account) => [];

    public bool Authenticate(Account account, string? pathSecret, IHeaderDictionary headers) => PathSecretHooks.Authenticate(account, pathSecret);

    public HookParse Parse(Account account, RawRequest request)
    {
        var fields = SipuniFields.Read(request);
        if (fields.Count == 0)
        {
            return new HookParse.Failed("empty request: no Sipuni parameters in the query string or the body");
        }

        if (fields.Get("call_id") is not { } callId)
        {
            return new HookParse.Failed("call_id is missing");
        }

        var eventText = fields.Get("event");
        if (eventText is not ("1" or "2" or "3" or "4"))
        {
            return new HookParse.Failed(eventText is null ? "event is missing" : $"unknown event '{eventText}' (expected 1, 2, 3 or 4)");
        }

        var timestampText = fields.Get("timestamp");
        if (SipuniFields.ParseTime(timestampText) is not { } at)
        {
            return new HookParse.Failed(timestampText is null ? "timestamp is missing" : $"timestamp '{timestampText}' is not a Unix time");
        }

        foreach (var name in (string[])["call_start_timestamp", "call_answer_timestamp"])
        {
            if (fields.Get(name) is { } value && SipuniFields.ParseTime(value) is null && value != "0")
            {
                return new HookParse.Failed($"{name} '{value}' is not a Unix time");
            }
        }

        var signals = SipuniSignals.From(account, fields, eventText[0] - '0', at);
        return new HookParse.Parsed(callId, fields.DedupeKey(), signals);
    }

    public HookReply Accepted(Account account, HookParse.Parsed parsed, StoredRaw stored) => PathSecretHooks.Accepted;

    public HookReply Quarantined(string reason) => PathSecretHooks.Quarantined(reason);

    public HookReply Rejected(string reason) => PathSecretHooks.Rejected(reason);

    public HookReply Denied() => PathSecretHooks.Denied();
}

/// <summary>Sipuni's parameters from the query string and, for POSTs, the form body (both are real).</summary>
internal sealed class SipuniFields
{
    private readonly SortedDictionary<string, string> values;

    private SipuniFields(SortedDictionary<string, string> values) => this.values = values;

    public int Count => values.Count;

    public string? Get(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public static SipuniFields Read(RawRequest request)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(values, request.Query);
        if (request.Body.Length > 0)
        {
            Add(values, Encoding.UTF8.GetString(request.Body));
        }

        return new SipuniFields(values);
    }

    private static void Add(SortedDictionary<string, string> values, string encoded)
    {
        foreach (var (key, value) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(encoded))
        {
            values.TryAdd(ProviderText.Storable(key), ProviderText.Storable(value.ToString().Trim()));
        }
    }

    /// <summary>The same parameters give the same key, whether sent by GET or POST and in any order.</summary>
    public string DedupeKey()
    {
        var canonical = string.Join("&", values.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value)));
        return "sipuni:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Unix seconds, or milliseconds as some integrations see them.</summary>
    public static DateTimeOffset? ParseTime(string? text)
    {
        // Beyond year 9999 even as milliseconds is no time at all.
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > 253_402_300_799_999)
        {
            return null;
        }

        return value > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(value) : DateTimeOffset.FromUnixTimeSeconds(value);
    }
}
