using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Api;
using PbxHub.Dashboard;
using PbxHub.Providers;
using PbxHub.Storage;

namespace PbxHub.Cli;

/// <summary>
/// What <c>pbxhub serve</c> prints once it listens: where the dashboard is and, while the hub has no way in or
/// nothing to receive, the one command that gives it (an API key, an account). Printed to the console for the
/// person who started it, not logged: it is a guide, not an event.
/// </summary>
internal static class FirstRunGuide
{
    public static async Task WriteAsync(WebApplication app, TextWriter output, CancellationToken ct)
    {
        var services = app.Services;
        var dashboard = DashboardUrl(services);
        var hasKey = services.GetRequiredService<IOptions<ApiKeysOptions>>().Value.Keys.Any(k => k.Length > 0)
            || services.GetRequiredService<IOptions<DashboardOptions>>().Value.Users.Count > 0
            || await services.GetRequiredService<SqlAccountStore>().AnyKeyAsync(ct);
        var hasAccount = (await services.GetRequiredService<AccountDirectory>().ListAsync(ct)).Count > 0;
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var data = storage.IsPostgres ? "" : $" --data {Path.GetFullPath(storage.DataDirectory)}";
        var providers = string.Join("|", services.GetRequiredService<ProviderRegistry>().Names);

        output.WriteLine($"PbxHub is running. Dashboard: {dashboard}");
        output.WriteLine(hasKey
            ? "  Sign in with an API key (pbxhub keys create) or a dashboard user."
            : $"  No API key yet: run 'pbxhub keys create{data}' and sign in with the key it prints.");
        if (!hasAccount)
        {
            output.WriteLine($"  No account yet: run 'pbxhub accounts add NAME --provider {providers}{data} --base-url {dashboard.TrimEnd('/')}'");
            output.WriteLine("  and paste the hook URL it prints into the provider's settings. To try it first: 'pbxhub demo'.");
        }

        await output.FlushAsync(ct);
    }

    /// <summary>The first address Kestrel listens on, with a wildcard host shown as localhost.</summary>
    public static string DashboardUrl(IServiceProvider services)
    {
        var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://localhost:5000";
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        return uri.Uri.AbsoluteUri;
    }
}
