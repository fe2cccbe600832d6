using PbxHub.Providers;

namespace PbxHub.Dashboard;

/// <summary>
/// Whether the dashboard offers "call back" for an account. Placing the call is the API's
/// <c>POST /api/v1/calls</c> (click-to-call); a provider that registers no outbound client cannot place calls
/// at all, so the page says why (in the provider's own words) instead of offering a button that would fail.
/// </summary>
internal static class CallBack
{
    /// <summary>The text key of the reason the call cannot be placed, or null when the button is offered.</summary>
    public static string? Unavailable(ProviderCatalog providers, string provider, string? clientNumber) =>
        providers.Find(provider) is { PlacesCalls: false } p ? "missed.unsupported." + p.Name
        : string.IsNullOrEmpty(clientNumber) ? "missed.unsupported.noNumber"
        : null;
}
