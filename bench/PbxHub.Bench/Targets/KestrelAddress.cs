using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PbxHub.Bench.Targets;

internal static class KestrelAddress
{
    /// <summary>The address Kestrel bound for <c>http://127.0.0.1:0</c>.</summary>
    public static string Of(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
}
