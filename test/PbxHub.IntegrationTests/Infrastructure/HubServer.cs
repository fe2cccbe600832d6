using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.Cli;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>
/// A real hub on Kestrel at 127.0.0.1 with a real SQLite file in a temporary folder, configured the
/// way deployments are (configuration keys), with one Sipuni account and one API key.
/// </summary>
internal sealed class HubServer : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789";
    public const string AccountId = "demo";
    public const string Secret = "s3cret-demo-secret";

    private HubServer(WebApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public string BaseUrl { get; }

    /// <summary>An HTTP client with the API key set.</summary>
    public HttpClient Client { get; }

    public string HookPath => $"/hooks/{AccountId}/{Secret}";

    public IServiceProvider Services => App.Services;

    public static async Task<HubServer> StartAsync(
        IDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null, string? dataDirectory = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "pbxhub-tests", Guid.NewGuid().ToString("n"));
        var config = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["PbxHub:ApiKeys:0"] = ApiKey,
            ["PbxHub:Accounts:0:Id"] = AccountId,
            ["PbxHub:Accounts:0:Provider"] = "sipuni",
            ["PbxHub:Accounts:0:Secret"] = Secret,
            ["PbxHub:Accounts:0:TimeZone"] = "Europe/Moscow",
            ["PbxHub:Accounts:0:Country"] = "RU",
            ["PbxHub:Accounts:0:Sipuni:UserNumber"] = "012345",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in TestStorage.Settings(dataDirectory).Concat(settings ?? new Dictionary<string, string>()))
        {
            config[key] = value;
        }

        var args = config.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = HubHost.Build(args, dataDirectory: dataDirectory, configure: configure);
        await app.StartAsync();
        return new HubServer(app, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
