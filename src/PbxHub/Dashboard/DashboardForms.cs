using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PbxHub.Api;
using PbxHub.Security;
using PbxHub.Storage;

namespace PbxHub.Dashboard;

/// <summary>
/// The dashboard's form posts. Form binding makes ASP.NET Core require the antiforgery token the pages
/// render, so another site cannot post them with the user's cookie.
/// </summary>
internal static class DashboardForms
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/signin", async (
            [FromForm] string? key, [FromForm] string? user, [FromForm] string? password, [FromForm] string? returnUrl,
            HttpContext http, ApiKeyValidator keys, IOptions<DashboardOptions> options, CallerRateLimits limits, NetworkMetrics metrics) =>
        {
            var back = "&returnUrl=" + Uri.EscapeDataString(DashboardAuth.LocalOrHome(returnUrl));
            var source = NetworkAddresses.SourceKey(http.Connection.RemoteIpAddress);
            if (limits.SignInRefusal(source) is { } seconds)
            {
                metrics.Refused(DashboardRefusals.Surface, RefusalReasons.SignInFailures);
                return Results.Redirect($"/signin?retryAfter={seconds}{back}");
            }

            var name = await DashboardAuth.IdentifyAsync(key, user, password, keys, options.Value, http.RequestAborted);
            if (name is null)
            {
                limits.SignInFailed(source);
                return Results.Redirect("/signin?failed=1" + back);
            }

            await DashboardAuth.SignInAsync(http, name);
            return Results.LocalRedirect(DashboardAuth.LocalOrHome(returnUrl));
        }).ExcludeFromDescription();

        // No form field is bound here, so the antiforgery middleware's verdict must be checked by hand: without the
        // token another site could sign the user out.
        app.MapPost("/signout", async (HttpContext http) =>
        {
            if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
            {
                return Results.Problem(
                    statusCode: 400, title: "Antiforgery token required",
                    detail: "Sign out with the dashboard's own Sign out button: this request did not carry its antiforgery token.");
            }

            await http.SignOutAsync(DashboardAuth.Scheme);
            return Results.Redirect("/signin");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();

        // A GET: choosing a language changes nothing but how pages read.
        app.MapGet("/language/{language}", (string language, string? returnUrl, HttpContext http) =>
        {
            if (Ui.Languages.Contains(language))
            {
                http.Response.Cookies.Append(Ui.LanguageCookie, language, new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true,
                });
            }

            return Results.LocalRedirect(DashboardAuth.LocalOrHome(returnUrl));
        }).ExcludeFromDescription();

        app.MapPost("/setup/resend", async (
            [FromForm] string subscription, [FromForm] long delivery, [FromForm] string? returnUrl,
            IDeliveryStore store, EventLogSignal signal, TimeProvider time, CancellationToken ct) =>
        {
            var resent = await store.ResendAsync(subscription, delivery, time.GetUtcNow(), ct);
            if (resent)
            {
                signal.Pulse();
            }

            var back = DashboardAuth.LocalOrHome(returnUrl ?? "/setup");
            return Results.LocalRedirect($"{back}{(back.Contains('?', StringComparison.Ordinal) ? '&' : '?')}resent={(resent ? delivery : 0)}");
        }).RequireAuthorization().ExcludeFromDescription();

        app.MapPost("/setup/connectors/import-employees", async ([FromForm] string connector, Connectors.ConnectorAdmin admin, CancellationToken ct) =>
        {
            var import = await admin.ImportEmployeesAsync(connector, ct);
            var outcome = import?.Problem is null && import is not null ? $"imported={import.Employees.Count}" : "importFailed=" + Uri.EscapeDataString(import?.Problem ?? connector);
            return Results.LocalRedirect($"/setup?{outcome}#connector-{Uri.EscapeDataString(connector)}");
        }).RequireAuthorization().ExcludeFromDescription();

        Reconciliation.ReconciliationDashboardForm.Map(app);
    }
}
