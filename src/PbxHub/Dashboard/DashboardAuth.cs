using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using PbxHub.Api;
using PbxHub.Security;

namespace PbxHub.Dashboard;

/// <summary>What the dashboard's cookie allows on the <c>/api/v1</c> group.</summary>
internal enum DashboardCookieCheck
{
    /// <summary>No valid dashboard cookie: the API key rules apply.</summary>
    Absent,
    Allowed,

    /// <summary>A cookie on a state-changing request without the antiforgery token: possibly another site's form.</summary>
    ForgeryRejected,
}

/// <summary>Sign-in with an API key or a configured user, kept in a cookie the API also accepts.</summary>
internal static class DashboardAuth
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "pbxhub.dashboard";

    public static async Task<DashboardCookieCheck> CheckCookieAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded)
        {
            return DashboardCookieCheck.Absent;
        }

        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
        {
            return DashboardCookieCheck.Allowed;
        }

        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        return await antiforgery.IsRequestValidAsync(http) ? DashboardCookieCheck.Allowed : DashboardCookieCheck.ForgeryRejected;
    }

    /// <summary>The signed-in name, or null when neither the key nor the user and password are right.</summary>
    public static async Task<string?> IdentifyAsync(
        string? key, string? user, string? password, ApiKeyValidator keys, DashboardOptions options, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(key))
        {
            return await keys.IsValidAsync(key.Trim(), ct) ? "api-key" : null;
        }

        if (string.IsNullOrWhiteSpace(user) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var match = options.Users.FirstOrDefault(u => string.Equals(u.Name, user.Trim(), StringComparison.OrdinalIgnoreCase));
        return match is not null && Secrets.AreEqual(password, match.Password) ? match.Name : null;
    }

    public static Task SignInAsync(HttpContext http, string name) =>
        http.SignInAsync(Scheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], Scheme)));

    public static void ConfigureCookie(CookieAuthenticationOptions cookie, DashboardOptions options)
    {
        cookie.Cookie.Name = CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = options.CookieLifetime;
        cookie.SlidingExpiration = true;
        cookie.LoginPath = "/signin";
        cookie.LogoutPath = "/signout";
        cookie.ReturnUrlParameter = "returnUrl";
    }

    /// <summary>
    /// Only paths of this site, so a sign-in link cannot send the user elsewhere. No control characters either:
    /// browsers drop a tab or newline (<c>/\t/evil.com</c> reads as <c>//evil.com</c>), and <c>LocalRedirect</c> throws on them.
    /// </summary>
    public static string LocalOrHome(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
        && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.Any(char.IsControl) ? returnUrl : "/";
}
