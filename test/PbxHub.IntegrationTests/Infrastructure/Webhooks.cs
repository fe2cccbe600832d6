using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PbxHub.IntegrationTests.Infrastructure;

internal static class Webhooks
{
    /// <summary>Creates a subscription through the API; returns its id and the secret shown once.</summary>
    public static async Task<(string Id, string Secret)> SubscribeAsync(this HttpClient client, string url, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["url"] = url };
        foreach (var p in extra?.GetType().GetProperties() ?? [])
        {
            body[p.Name] = p.GetValue(extra);
        }

        using var response = await client.PostAsJsonAsync("/api/v1/subscriptions", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var doc = await response.ReadJsonAsync();
        return (doc.RootElement.Str("id")!, doc.RootElement.Str("secret")!);
    }

    /// <summary>The call's normalised event ids in log order, from the timeline API.</summary>
    public static async Task<IReadOnlyList<string>> EventIdsAsync(this HttpClient client, string callId)
    {
        using var doc = await client.GetJsonAsync($"/api/v1/calls/{callId}/timeline");
        return doc.RootElement.GetProperty("events").EnumerateArray().Select(e => e.Str("id")!).ToList();
    }

    /// <summary>
    /// Waits until the hub has recorded <paramref name="total"/> attempts of the subscription's deliveries: a test
    /// that moves a fake clock must not move it while a request is in flight (it would time out).
    /// </summary>
    public static Task<JsonElement> WaitForRecordedAttemptsAsync(this HttpClient client, string subscriptionId, int total) =>
        client.WaitForJsonAsync(
            $"/api/v1/subscriptions/{subscriptionId}/deliveries",
            l => l.GetProperty("items").EnumerateArray().Sum(d => d.GetProperty("attempts").GetInt32()) >= total,
            $"{total} attempts recorded");

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 20)
    {
        for (var i = 0; i < seconds * 20; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Timed out waiting until {what}");
    }

    public static async Task<JsonElement> WaitForJsonAsync(this HttpClient client, string url, Func<JsonElement, bool> condition, string what)
    {
        for (var i = 0; i < 400; i++)
        {
            using var doc = await client.GetJsonAsync(url);
            if (condition(doc.RootElement))
            {
                return doc.RootElement.Clone();
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Timed out waiting until {what}");
        return default;
    }
}
