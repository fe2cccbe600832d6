namespace PbxHub.Dashboard;

/// <summary>
/// Whether the dashboard offers "call back" for an account. Placing the call is the API's
/// <c>POST /api/v1/calls</c> (click-to-call); the providers below cannot place calls at all, so the
/// page says why instead of offering a button that would fail.
/// </summary>
internal static class CallBack
{
    private static readonly HashSet<string> WithoutClickToCall = new(StringComparer.OrdinalIgnoreCase) { "sipuni", "hooktype" };

    /// <summary>The text key of the reason the call cannot be placed, or null when the button is offered.</summary>
    public static string? Unavailable(string provider, string? clientNumber) =>
        WithoutClickToCall.Contains(provider) ? "missed.unsupported." + provider.ToLowerInvariant()
        : string.IsNullOrEmpty(clientNumber) ? "missed.unsupported.noNumber"
        : null;
}
