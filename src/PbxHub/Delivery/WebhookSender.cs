using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>What one POST to a subscriber gave.</summary>
internal sealed record SendResult(
    DateTimeOffset At, int? StatusCode, long DurationMs, string? Error, string? ResponseStart, TimeSpan? RetryAfter, bool TimedOut)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>POSTs one event to one subscriber with the Standard Webhooks headers, over the exact bytes signed.</summary>
internal sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time, IOptions<DeliveryOptions> options)
{
    public const string ClientName = "webhooks";
    private const int ResponseStartLength = 512;

    public async Task<SendResult> SendAsync(Subscription subscription, string eventId, string json, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = at.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("webhook-id", eventId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSignature.Header(SigningSecrets(subscription, at), eventId, timestamp, body));
        request.Headers.UserAgent.ParseAdd("PbxHub-Webhooks/1");

        using var timeout = new CancellationTokenSource(options.Value.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var start = await ReadStartAsync(response, linked.Token);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date is { } date ? date - time.GetUtcNow() : null)
                : null;
            return new SendResult(at, status, Elapsed(started), null, start, retryAfter, TimedOut: false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new SendResult(at, null, Elapsed(started), $"no answer within {options.Value.RequestTimeout.TotalSeconds:0.#} s", null, null, TimedOut: true);
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(at, null, Elapsed(started), ex.Message, null, null, TimedOut: false);
        }
    }

    /// <summary>The new secret, and the previous one until its grace period ends, so receivers can switch over.</summary>
    public static IEnumerable<string> SigningSecrets(Subscription subscription, DateTimeOffset now)
    {
        yield return subscription.Secret;
        if (subscription.PreviousSecret is { } previous && subscription.PreviousSecretUntil > now)
        {
            yield return previous;
        }
    }

    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[ResponseStartLength * 4];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0)
        {
            read += n;
        }

        if (read == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length > ResponseStartLength ? text[..ResponseStartLength] : text;
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
