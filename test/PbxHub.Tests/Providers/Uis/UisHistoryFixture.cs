using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PbxHub.Accounts;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Reconciliation;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Tests.Providers.Uis;

/// <summary>The UIS history reader as the hub wires it (providers, HTTP client, resilience), and accounts for the Data API.</summary>
internal sealed class UisHistoryFixture : IDisposable
{
    public const string Token = "t0k3n-of-the-data-api";

    private readonly ServiceProvider services;

    public UisHistoryFixture(TimeProvider time)
    {
        var collection = new ServiceCollection()
            // Retries wait on the clock, which is the tests' fake one: an error answer must come back at once.
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PbxHub:Outbound:IdempotentRetries"] = "0" }).Build())
            .AddSingleton(time)
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        collection.AddProviders();
        services = collection.BuildServiceProvider();
    }

    public IHistoryReader Reader => services.GetRequiredService<HistoryRegistry>().Find("uis")!;

    public static Task<EmulatorHost> StartAsync(TimeProvider time, UisEmulatorOptions? options = null)
    {
        options ??= new UisEmulatorOptions();
        options.AccessToken = Token;
        options.Login = options.Password = "bbb";
        return UisEmulator.StartAsync("http://127.0.0.1:0", options, time);
    }

    public static Account Account(string? dataApiUrl, string? token = Token, string zone = "Europe/Moscow")
    {
        var settings = new Dictionary<string, string>();
        if (dataApiUrl is not null)
        {
            settings["Uis:DataApiUrl"] = dataApiUrl;
        }

        if (token is not null)
        {
            settings["Uis:AccessToken"] = token;
        }

        return new Account("acme-uis", "uis", "", zone, "RU", settings, AccountSources.Configuration);
    }

    public static RawRequest Row(string body) =>
        new("POST", "application/json", "", Encoding.UTF8.GetBytes(body), new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);

    public static async Task AddHistoryAsync(EmulatorHost uis, params HistoryCall[] calls)
    {
        using var http = new HttpClient();
        using var content = new StringContent(JsonSerializer.Serialize(calls, new JsonSerializerOptions(JsonSerializerDefaults.Web)), Encoding.UTF8, "application/json");
        (await http.PostAsync(uis.BaseUrl + "/_emulator/history", content)).EnsureSuccessStatusCode();
    }

    public static async Task MisbehaveAsync(EmulatorHost uis, string mode, int after = 0)
    {
        using var http = new HttpClient();
        (await http.PostAsync($"{uis.BaseUrl}/_emulator/history/misbehave?mode={mode}&after={after}", null)).EnsureSuccessStatusCode();
    }

    public static async Task<List<HistoryPage>> ReadAllAsync(IHistoryReader reader, Account account, DateTimeOffset since, DateTimeOffset until)
    {
        var pages = new List<HistoryPage>();
        await foreach (var page in reader.ReadAsync(account, since, until, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    public void Dispose() => services.Dispose();
}
