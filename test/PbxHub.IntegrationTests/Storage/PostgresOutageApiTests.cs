using System.Net;
using System.Net.Http.Json;
using PbxHub.IntegrationTests.Fuzzing;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Security;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>
/// PostgreSQL stopped for longer than the accounts' refresh: an account added through the API (known from the database
/// only) still resolves, and every API read that needs the database answers 503 problem details with <c>Retry-After</c>.
/// </summary>
public sealed class PostgresOutageApiTests
{
    private const string Account = "added-by-api";
    private const string Secret = "added-by-api-secret-0123";

    /// <summary>The reads of <c>/api/v1</c> that need the database, with filters and formats a client would use.</summary>
    private static readonly string[] Reads =
    [
        "/api/v1/calls?account=" + Account,
        "/api/v1/calls/missed?unreturned=true",
        "/api/v1/calls.csv",
        "/api/v1/calls.csv?delimiter=semicolon",
        "/api/v1/stats?by=day",
        "/api/v1/quarantine",
        "/api/v1/calls/requests",
        "/api/v1/subscriptions",
        "/api/v1/calls/c_0123456789abcdef",
        "/api/v1/calls/c_0123456789abcdef/timeline",
        "/api/v1/stream",
    ];

    [PostgresFact]
    public async Task Hook_AccountAddedThroughApiPostgresStopped_StillKnownAnswered503InProviderShape()
    {
        await using var postgres = await OwnPostgres.StartAsync();
        var logs = new CapturedLogs();
        var time = FakeClock.New();
        await using var hub = await PostgresOutageTests.StartHubAsync(postgres, logs, time: time);
        await AddAccountAsync(hub);
        var path = $"/hooks/{Account}/{Secret}?";
        using (var first = await hub.Client.GetAsync(path + SipuniHooks.Arrival("api-1", "89031234567", "84951234567", 1_700_000_000)))
        {
            await NetworkHub.AssertAcceptedAsync("sipuni", first);
        }

        await postgres.StopAsync();
        // Past the 5 s after which the hub reads its accounts again, on its own clock.
        time.Advance(TimeSpan.FromSeconds(6));
        using var refused = await hub.Client.GetAsync(path + SipuniHooks.Arrival("api-2", "89031234567", "84951234567", 1_700_000_100));
        await NetworkHub.AssertProviderFailureAsync("sipuni", refused, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);

        // The accounts are served from what the node knows.
        using var accounts = await hub.Client.GetJsonAsync("/api/v1/accounts");
        Assert.Contains(accounts.RootElement.EnumerateArray(), a => a.Str("id") == Account);
        Assert.Single(logs.Unhandled);
    }

    [PostgresFact]
    public async Task Read_PostgresStopped_503ProblemWithRetryAfterLoggedOnce()
    {
        await using var postgres = await OwnPostgres.StartAsync();
        var logs = new CapturedLogs();
        await using var hub = await PostgresOutageTests.StartHubAsync(postgres, logs);
        await AddAccountAsync(hub);
        using (var first = await hub.Client.SendAsync(NetworkHub.Hook("sipuni", 0)))
        {
            await NetworkHub.AssertAcceptedAsync("sipuni", first);
        }

        // Stopped at once: the hook's call may not be folded yet, as when a server fails under traffic.
        await postgres.StopAsync();
        var wrong = new List<string>();
        foreach (var url in Reads)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var read = await ReadAsync(hub, url);
            if (read is null)
            {
                wrong.Add($"{url}: the answer broke off after {watch.Elapsed.TotalSeconds:F1} s");
                continue;
            }

            var body = await read.Content.ReadAsStringAsync();
            if (read.StatusCode != HttpStatusCode.ServiceUnavailable || read.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || read.Headers.RetryAfter?.Delta != TimeSpan.FromSeconds(5) || watch.Elapsed > TimeSpan.FromSeconds(2))
            {
                wrong.Add($"{url}: {(int)read.StatusCode} {read.Content.Headers.ContentType} Retry-After {read.Headers.RetryAfter} "
                    + $"after {watch.Elapsed.TotalSeconds:F1} s: {body}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        var logged = logs.Unhandled;
        Assert.True(logged.Count == 1, string.Join("\n---\n", logged));
        Assert.StartsWith("Storage fault (", logged[0].Message, StringComparison.Ordinal);
    }

    /// <summary>The whole answer, or null when it broke off (headers sent, then the connection closed).</summary>
    private static async Task<HttpResponseMessage?> ReadAsync(HubServer hub, string url)
    {
        try
        {
            return await hub.Client.GetAsync(url);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task AddAccountAsync(HubServer hub)
    {
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/accounts", new { id = Account, provider = "sipuni", secret = Secret });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }
}
