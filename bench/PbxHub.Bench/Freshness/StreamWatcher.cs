using System.Diagnostics;
using System.Text;
using PbxHub.Bench.Targets;

namespace PbxHub.Bench.Freshness;

/// <summary>
/// One Server-Sent Events client on the hub's <c>GET /api/v1/stream</c>, as a dashboard would hold it: notes the
/// moment each call's first event line arrives.
/// </summary>
internal sealed class StreamWatcher : IAsyncDisposable
{
    private readonly HttpClient http;
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task reading = Task.CompletedTask;

    private StreamWatcher(string address)
    {
        http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(address), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new("Bearer", HubSettings.ApiKey);
    }

    public Arrivals Arrivals { get; } = new();

    /// <summary>Connected once the hub has written its first line (<c>retry:</c>): from then on it sends every new event.</summary>
    public static async Task<StreamWatcher> StartAsync(string address)
    {
        var watcher = new StreamWatcher(address);
        watcher.reading = watcher.ReadAsync();
        await watcher.connected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return watcher;
    }

    private async Task ReadAsync()
    {
        try
        {
            using var response = await http.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead, stop.Token);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token), Encoding.UTF8);
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var at = Stopwatch.GetTimestamp();
                connected.TrySetResult();
                if (line.StartsWith("data: ", StringComparison.Ordinal) && Arrivals.CallIdOf(Encoding.UTF8.GetBytes(line[6..])) is { } callId)
                {
                    Arrivals.Seen(callId, at);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            connected.TrySetException(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await reading;
        http.Dispose();
        stop.Dispose();
    }
}
