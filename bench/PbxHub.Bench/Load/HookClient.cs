using System.Net;
using System.Text;
using PbxHub.Bench.Traffic;
using PbxHub.Simulation;

namespace PbxHub.Bench.Load;

/// <summary>Sends hooks to one target over at most N keep-alive connections; only a 200 with <c>"success": true</c> counts.</summary>
internal sealed class HookClient : IDisposable
{
    private readonly HttpClient http;
    private readonly string hookUrl;
    private readonly BenchProvider provider;
    private readonly IReadOnlyDictionary<string, string> headers;

    public HookClient(string hookUrl, BenchProvider provider, IReadOnlyDictionary<string, string> headers, int connections)
    {
        if (!hookUrl.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The benchmark only sends to 127.0.0.1, not {hookUrl}");
        }

        this.hookUrl = hookUrl;
        this.provider = provider;
        this.headers = headers;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Error null when the hook was acknowledged (with the reply's body); otherwise what went wrong, as a short category.</summary>
    public async Task<(string? Error, string? Reply)> SendAsync(HookRequest hook, CancellationToken ct)
    {
        try
        {
            using var request = hook.Body == HookBody.Query
                ? new HttpRequestMessage(HttpMethod.Get, hookUrl + "?" + hook.Encoded)
                : new HttpRequestMessage(HttpMethod.Post, hookUrl) { Content = ContentTypes.Content(hook.Text, hook.ContentType) };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return ($"HTTP {(int)response.StatusCode}", null);
            }

            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return provider.Accepts(body)
                ? (null, hook.RepliesAs is null ? null : Encoding.UTF8.GetString(body))
                : ("200 without the provider's acknowledgement", null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ("cancelled at the run's hard deadline", null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return (ex.GetType().Name + (ex is HttpRequestException h && h.HttpRequestError != HttpRequestError.Unknown ? $" ({h.HttpRequestError})" : ""), null);
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>Bodies with the content types the providers' POSTs carry, each header value made once.</summary>
    private static class ContentTypes
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Net.Http.Headers.MediaTypeHeaderValue> Types = new();

        public static HttpContent Content(string body, string type)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = Types.GetOrAdd(type, t => new(t));
            return content;
        }
    }
}
