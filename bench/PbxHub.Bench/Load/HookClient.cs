using System.Net;
using System.Text;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Load;

/// <summary>Sends hooks to one target over at most N keep-alive connections; only a 200 with <c>"success": true</c> counts.</summary>
internal sealed class HookClient : IDisposable
{
    private static readonly MediaTypeHeaderValueCache FormType = new();
    private readonly HttpClient http;
    private readonly string hookUrl;

    public HookClient(string hookUrl, int connections)
    {
        if (!hookUrl.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The benchmark only sends to 127.0.0.1, not {hookUrl}");
        }

        this.hookUrl = hookUrl;
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

    /// <summary>Null when the hook was acknowledged; otherwise what went wrong, as a short category.</summary>
    public async Task<string?> SendAsync(HookRequest hook, CancellationToken ct)
    {
        try
        {
            using var request = hook.Post
                ? new HttpRequestMessage(HttpMethod.Post, hookUrl) { Content = FormType.Content(hook.Parameters) }
                : new HttpRequestMessage(HttpMethod.Get, hookUrl + "?" + hook.Parameters);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return $"HTTP {(int)response.StatusCode}";
            }

            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return body.AsSpan().IndexOf("\"success\": true"u8) >= 0 ? null : "200 without \"success\": true";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return "cancelled at the run's hard deadline";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return ex.GetType().Name + (ex is HttpRequestException h && h.HttpRequestError != HttpRequestError.Unknown ? $" ({h.HttpRequestError})" : "");
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>Form bodies with the content type Sipuni's POSTs carry.</summary>
    private sealed class MediaTypeHeaderValueCache
    {
        private readonly System.Net.Http.Headers.MediaTypeHeaderValue type = new("application/x-www-form-urlencoded");

        public HttpContent Content(string form)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(form));
            content.Headers.ContentType = type;
            return content;
        }
    }
}
