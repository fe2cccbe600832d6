using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Providers;

namespace PbxHub.IntegrationTests.Reconciliation;

/// <summary>A hub on a fake clock with a LedgerPbx account (<see cref="Account"/>) whose history is <see cref="History"/>.</summary>
internal sealed class LedgerHub : IAsyncDisposable
{
    public const string Account = "ledger";
    public const string Secret = "ledger-secret-0123";

    private LedgerHub(FakeTimeProvider time, HubServer hub, LedgerHistoryServer history)
    {
        Time = time;
        Hub = hub;
        History = history;
    }

    public FakeTimeProvider Time { get; }

    public HubServer Hub { get; }

    public LedgerHistoryServer History { get; }

    public HttpClient Client => Hub.Client;

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <param name="seed">Fills the history before the hub starts (its schedule reads it at once), given the hub's start time.</param>
    public static async Task<LedgerHub> StartAsync(IDictionary<string, string>? settings = null, Action<LedgerHistoryServer, DateTimeOffset>? seed = null)
    {
        var history = await LedgerHistoryServer.StartAsync();
        var time = FakeClock.New();
        seed?.Invoke(history, time.GetUtcNow());
        var config = new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = Account,
            ["PbxHub:Accounts:1:Provider"] = LedgerPbx.Name,
            ["PbxHub:Accounts:1:Secret"] = Secret,
            ["PbxHub:Accounts:1:" + LedgerPbx.HistoryUrlKey] = history.Url,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            config[key] = value;
        }

        var hub = await HubServer.StartAsync(config, b =>
        {
            b.Services.AddSingleton<TimeProvider>(time);
            b.Services.AddProvider(LedgerPbx.Descriptor);
        });
        return new LedgerHub(time, hub, history);
    }

    public async Task HookAsync(string call, string evt, DateTimeOffset at) =>
        (await Client.GetAsync($"/hooks/{Account}/{Secret}?{LedgerPbx.Hook(call, evt, at)}")).EnsureSuccessStatusCode();

    /// <summary>Reconciles the account over [since, now) through the API.</summary>
    public Task<HttpResponseMessage> ReconcileAsync(DateTimeOffset since) =>
        Client.PostAsync($"/api/v1/accounts/{Account}/reconcile?since={Uri.EscapeDataString(since.ToString("O"))}&until={Uri.EscapeDataString(Now.ToString("O"))}", null);

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await History.DisposeAsync();
    }
}
