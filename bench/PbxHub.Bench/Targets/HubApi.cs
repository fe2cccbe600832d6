using System.Net.Http.Json;
using System.Text.Json;

namespace PbxHub.Bench.Targets;

/// <summary>The few API calls the benchmarks make on a hub: subscriptions, enabling them, recovering deliveries.</summary>
internal sealed class HubApi : IDisposable
{
    private readonly HttpClient http;

    public HubApi(string address)
    {
        http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", HubSettings.ApiKey);
    }

    /// <summary>A subscription to every event of every account; its id.</summary>
    public async Task<string> SubscribeAsync(string url, bool enabled = true)
    {
        var body = await SendAsync(HttpMethod.Post, "/api/v1/subscriptions", new { url, eventTypes = Array.Empty<string>(), accounts = Array.Empty<string>(), enabled });
        return body.GetProperty("id").GetString()!;
    }

    public Task EnableAsync(string id, bool enabled) => SendAsync(HttpMethod.Patch, $"/api/v1/subscriptions/{id}", new { enabled });

    /// <summary>Schedules every stored event since <paramref name="since"/> for the subscription; how many deliveries.</summary>
    public async Task<long> RecoverAsync(string id, DateTimeOffset since)
    {
        var at = Uri.EscapeDataString(since.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var body = await SendAsync(HttpMethod.Post, $"/api/v1/subscriptions/{id}/recover?since={at}", null);
        return body.GetProperty("scheduled").GetInt64();
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} failed: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => http.Dispose();
}
