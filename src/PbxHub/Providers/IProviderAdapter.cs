using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;

namespace PbxHub.Providers;

/// <summary>
/// One provider's dialect of call events: how its hook requests authenticate, what they mean, and
/// how the provider expects to be answered. Adapters are stateless; everything they decide is a
/// function of the account and the raw request, so stored requests can be parsed again at replay.
/// </summary>
internal interface IProviderAdapter
{
    /// <summary>The provider name used in accounts (<c>sipuni</c>, …).</summary>
    string Name { get; }

    /// <summary>The path, below the hub's base URL, to paste into the provider's settings; null when the provider sends no hooks.</summary>
    string? HookPath(Account account);

    /// <summary>Whether the hook URL carries the account's secret (otherwise the provider authenticates by header).</summary>
    bool SecretInPath { get; }

    /// <summary>
    /// The IANA zone of an account that names none: where the provider's customers are, since its
    /// wall-clock times are read in the account's zone (docs/time-zones.md).
    /// </summary>
    string DefaultTimeZone { get; }

    /// <summary>The ISO 3166 region of national numbers for an account that names none.</summary>
    string DefaultCountry { get; }

    /// <summary>What is wrong with the account's provider settings (a missing token, a malformed URL), in words.</summary>
    IEnumerable<string> SettingsProblems(Account account);

    /// <summary>
    /// Whether the request proves it comes from the account's provider: the secret in the path, or a
    /// token in <paramref name="headers"/> (all the request's headers; only some are stored, never credentials).
    /// </summary>
    bool Authenticate(Account account, string? pathSecret, IHeaderDictionary headers);

    /// <summary>Parses a request; a failure is quarantined with its reason, never dropped.</summary>
    HookParse Parse(Account account, RawRequest request);

    /// <summary>The answer for a request that was stored (<paramref name="stored"/> is the original on a repeat).</summary>
    HookReply Accepted(Account account, HookParse.Parsed parsed, StoredRaw stored);

    /// <summary>
    /// The answer for a request that could not be understood and was stored in quarantine: it is kept, so the
    /// answer must not make the provider stop sending the account's other events (docs/quarantine.md).
    /// </summary>
    HookReply Quarantined(string reason);

    /// <summary>The provider's failure answer for a request that was not stored (too large, over a limit, storage down).</summary>
    HookReply Rejected(string reason);

    /// <summary>The answer for a request that failed authentication (status 403).</summary>
    HookReply Denied();
}

internal static class ProviderAdapterExtensions
{
    /// <summary>
    /// Parses without letting an adapter's exception escape: a request that makes it throw is quarantined with
    /// the error at ingest, stays quarantined at replay, and adds nothing to a fold.
    /// </summary>
    public static HookParse ParseSafely(this IProviderAdapter adapter, Account account, RawRequest request)
    {
        try
        {
            // A reason can quote the request: it is stored, so it must be storable text.
            var parse = adapter.Parse(account, request);
            return parse is HookParse.Failed failed ? new HookParse.Failed(ProviderText.Storable(failed.Reason)) : parse;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            return new HookParse.Failed(ProviderText.Storable($"the {adapter.Name} adapter could not read this request: {ex.Message}"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // A bug in an adapter (a missing field it did not expect) must not make the hook a 500 the provider retries
            // forever: the request is kept in quarantine, and replay reads it again once the adapter is fixed.
            return new HookParse.Failed(ProviderText.Storable($"the {adapter.Name} adapter failed on this request ({ex.GetType().Name}): {ex.Message}"));
        }
    }
}

/// <summary>The result of parsing one hook request.</summary>
internal abstract record HookParse
{
    /// <param name="CallKey">The provider's call id, which groups raw events into one call.</param>
    /// <param name="DedupeKey">Equal for a request the provider repeated.</param>
    internal sealed record Parsed(string CallKey, string DedupeKey, IReadOnlyList<CallSignal> Signals) : HookParse;

    internal sealed record Failed(string Reason) : HookParse;
}

/// <summary>The HTTP answer a provider expects.</summary>
internal sealed record HookReply(int StatusCode, string ContentType, string Body)
{
    public static HookReply Json(int status, string body) => new(status, "application/json; charset=utf-8", body);
}
