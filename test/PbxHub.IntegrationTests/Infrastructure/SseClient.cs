using System.Text;

namespace PbxHub.IntegrationTests.Infrastructure;

internal sealed record SseMessage(string? Id, string? Event, string Data);

/// <summary>Reads a Server-Sent Events response over real HTTP, message by message (comments skipped).</summary>
internal sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly CancellationTokenSource stop = new();
    private readonly System.Threading.Channels.Channel<SseMessage> messages = System.Threading.Channels.Channel.CreateUnbounded<SseMessage>();
    private readonly Task reading;

    private SseClient(HttpResponseMessage response, Stream stream)
    {
        this.response = response;
        // A cancelled read would close the connection: one reader runs for the client's whole life instead.
        reading = Task.Run(() => ReadAllAsync(new StreamReader(stream, Encoding.UTF8)));
    }

    public static async Task<SseClient> ConnectAsync(HttpClient client, string url, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseClient(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next message, or null when none comes within <paramref name="timeout"/>.</summary>
    public async Task<SseMessage?> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await messages.Reader.ReadAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            return null;
        }
    }

    private async Task ReadAllAsync(StreamReader reader)
    {
        string? id = null, type = null;
        var data = new StringBuilder();
        try
        {
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        messages.Writer.TryWrite(new SseMessage(id, type, data.ToString()));
                        data.Clear();
                    }

                    continue;
                }

                if (line.StartsWith(':'))
                {
                    continue;
                }

                var (field, value) = line.IndexOf(':') is var i and >= 0 ? (line[..i], line[(i + 1)..].TrimStart(' ')) : (line, "");
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": type = value; break;
                    case "data": data.Append(value); break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            messages.Writer.TryComplete();
            reader.Dispose();
        }
    }

    public async Task<List<SseMessage>> TakeAsync(int count, TimeSpan timeout)
    {
        var messages = new List<SseMessage>();
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (messages.Count < count && TimeProvider.System.GetUtcNow() < deadline && await NextAsync(deadline - TimeProvider.System.GetUtcNow()) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        response.Dispose();
        await reading;
        stop.Dispose();
    }
}
