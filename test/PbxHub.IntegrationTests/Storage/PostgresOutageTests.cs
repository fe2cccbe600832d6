using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Fuzzing;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Security;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>
/// A hub whose PostgreSQL server goes away (stopped, or frozen) and comes back: hooks are refused in the provider's
/// retry shape and stored when sent again, API reads answer 503 problem details, <c>/readyz</c> says the node cannot
/// store without hanging, and the log tells of the outage once.
/// </summary>
public sealed class PostgresOutageTests
{
    private static readonly string[] Providers = StorageFaultSteps.Providers;

    [PostgresFact]
    public async Task Hook_PostgresStoppedLongerThanAccountRefresh_503RetryAfterInProviderShapeThenStoredWhenBack()
    {
        await using var postgres = await OwnPostgres.StartAsync();
        var logs = new CapturedLogs();
        var time = FakeClock.New();
        await using var hub = await StartHubAsync(postgres, logs, time: time);
        foreach (var provider in Providers)
        {
            using var first = await hub.Client.SendAsync(NetworkHub.Hook(provider, 0));
            await NetworkHub.AssertAcceptedAsync(provider, first);
        }

        await postgres.StopAsync();
        // Past the 5 s after which the hub reads its accounts again, on its own clock: it must go on knowing them.
        time.Advance(TimeSpan.FromSeconds(6));
        await StorageFaultSteps.HooksRefusedForRetryAsync(hub, 3);

        using (var read = await hub.Client.GetAsync("/api/v1/calls"))
        {
            (await HttpJson.AssertProblemAsync(read, HttpStatusCode.ServiceUnavailable)).Dispose();
            Assert.Equal(TimeSpan.FromSeconds(5), read.Headers.RetryAfter?.Delta);
        }

        using (var ready = await hub.Client.GetAsync("/readyz"))
        {
            (await HttpJson.AssertProblemAsync(ready, HttpStatusCode.ServiceUnavailable)).Dispose();
        }

        var fault = Assert.Single(logs.Unhandled);
        Assert.StartsWith("Storage fault", fault.Message, StringComparison.Ordinal);

        await postgres.StartAgainAsync();
        // The providers' retries.
        await StorageFaultSteps.RetriesStoredAndFaultOverAsync(hub, logs, 3, 12);
    }

    [PostgresFact]
    public async Task Readyz_PostgresFrozen_503WithinItsTimeoutThen200WhenThawed()
    {
        await using var postgres = await OwnPostgres.StartAsync();
        await using var hub = await StartHubAsync(postgres, new CapturedLogs());
        using var probe = new HttpClient { BaseAddress = new Uri(hub.BaseUrl), Timeout = TimeSpan.FromSeconds(20) };
        using (var ready = await probe.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await postgres.FreezeAsync();
        try
        {
            var watch = Stopwatch.StartNew();
            using var frozen = await probe.GetAsync("/readyz");
            (await HttpJson.AssertProblemAsync(frozen, HttpStatusCode.ServiceUnavailable)).Dispose();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"/readyz took {watch.Elapsed}");
        }
        finally
        {
            await postgres.ThawAsync();
        }

        // Connections the freeze broke are replaced; bounded, so a hub that never recovers fails here.
        var until = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var ready = await probe.GetAsync("/readyz");
            status = ready.StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
        while (status != HttpStatusCode.OK && until.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    internal static Task<HubServer> StartHubAsync(
        OwnPostgres postgres, CapturedLogs logs, IDictionary<string, string>? more = null, TimeProvider? time = null)
    {
        var settings = ThreeProviders.Settings();
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        settings["PbxHub:Storage:Provider"] = "postgres";
        settings["PbxHub:Storage:ConnectionString"] = postgres.ConnectionString;
        return HubServer.StartAsync(settings, builder =>
        {
            logs.AddTo(builder);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
        });
    }
}
