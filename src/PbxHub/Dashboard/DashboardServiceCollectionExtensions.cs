using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace PbxHub.Dashboard;

internal static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        services.AddRazorComponents();
        services.AddHttpContextAccessor();
        services.AddScoped<Ui>();
        services.AddAuthentication(DashboardAuth.Scheme).AddCookie(DashboardAuth.Scheme);
        services.AddOptions<CookieAuthenticationOptions>(DashboardAuth.Scheme)
            .Configure<IOptions<DashboardOptions>>((cookie, options) => DashboardAuth.ConfigureCookie(cookie, options.Value));
        services.AddAuthorization();
        services.AddAntiforgery();
        return services;
    }

    /// <summary>The pages at <c>/</c>, their assets, and the form posts (sign-in, language, resend).</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.Use(DashboardFraming.InvokeAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        DashboardAssets.Map(app);
        DashboardForms.Map(app);
        app.MapRazorComponents<App>().RequireAuthorization().WithMetadata(DashboardFraming.Forbidden);
        return app;
    }
}
