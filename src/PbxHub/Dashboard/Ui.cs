using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace PbxHub.Dashboard;

/// <summary>
/// The page's language (the switch's cookie, else the browser's <c>Accept-Language</c>, else English),
/// its texts and how it writes times and durations. One per request.
/// </summary>
internal sealed class Ui
{
    public const string LanguageCookie = "pbxhub.lang";
    public static readonly IReadOnlyList<string> Languages = ["en", "ru"];

    public Ui(IHttpContextAccessor accessor, Providers.ProviderCatalog providers)
    {
        Language = Pick(accessor.HttpContext);
        Providers = providers;
        Texts = Language == "ru" ? providers.TextsRu : providers.TextsEn;
        Culture = CultureInfo.GetCultureInfo(Language == "ru" ? "ru-RU" : "en-GB");
    }

    public string Language { get; }

    /// <summary>The registered providers, whose own texts are among <see cref="Texts"/>.</summary>
    public Providers.ProviderCatalog Providers { get; }

    public CultureInfo Culture { get; }

    public IReadOnlyDictionary<string, string> Texts { get; }

    public string this[string key] => Texts.TryGetValue(key, out var text) ? text : key;

    public static string Pick(HttpContext? http)
    {
        if (http is null)
        {
            return "en";
        }

        if (http.Request.Cookies.TryGetValue(LanguageCookie, out var chosen) && Languages.Contains(chosen))
        {
            return chosen!;
        }

        var accepted = http.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is not null && Languages.Contains(l));
        return accepted ?? "en";
    }

    /// <summary>
    /// A time in the account's zone with its offset, e.g. 24.11.2026 10:05:07 UTC+3; without a zone, in UTC.
    /// The label matters where accounts of several zones share a page (docs/dashboard.md).
    /// </summary>
    public string Time(DateTimeOffset? at, TimeZoneInfo? zone = null)
    {
        if (at is not { } t)
        {
            return "—";
        }

        var local = zone is null ? t.ToUniversalTime() : TimeZoneInfo.ConvertTime(t, zone);
        return local.ToString("dd.MM.yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + ZoneLabel(local.Offset);
    }

    /// <summary>UTC, UTC+3, UTC-3:30.</summary>
    public static string ZoneLabel(TimeSpan offset) => offset == TimeSpan.Zero ? "UTC"
        : string.Create(CultureInfo.InvariantCulture, $"UTC{(offset < TimeSpan.Zero ? '-' : '+')}{Math.Abs(offset.Hours)}")
          + (offset.Minutes == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $":{Math.Abs(offset.Minutes):00}"));

    /// <summary>A label given in the hub's neutral form (a chart's "0–5s"), in the page's language when it has one.</summary>
    public string Label(string label) => Texts.TryGetValue("label." + label, out var text) ? text : label;

    /// <summary>The kind of a stored raw request (hook, quarantined, timeout, compacted).</summary>
    public string RawKind(string kind) => Texts.TryGetValue("raw." + kind, out var text) ? text : kind;

    public string DeliveryState(string state) => this["delivery.state." + state];

    public static string Duration(int seconds) => seconds >= 3600
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");

    public string Outcome(string? outcome) => outcome is null ? "—" : this["outcome." + outcome];

    public string Direction(string direction) => this["direction." + direction];

    /// <summary>A normalised event's type in the page's language; English pages show the contract's own name.</summary>
    public string EventType(string type) => Texts.TryGetValue("event." + type, out var text) ? text : type;

    public string State(string state) => this["state." + state];

    public static string Party(Calls.Party? party) => party is null ? "—" : party.Extension ?? party.Number ?? party.Raw;
}
