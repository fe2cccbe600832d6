using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>What one POST to a subscriber gave.</summary>
internal sealed record SendResult(
    DateTimeOffset At, int? StatusCode, long DurationMs, string? Error, string? ResponseStart, TimeSpan? RetryAfter, bool TimedOut)
{
    /// <summary>A failure no retry can fix: the delivery is given up at once.</summary>
    public bool Final { get; init; }

    /// <summary>The receiver asked to slow down in its own words (a CRM's query limit): retried like a 429.</summary>
    public bool Throttled { get; init; }

    /// <summary>
    /// Not ready yet (a CRM connector waiting for a call to settle, docs/connectors.md): tried again at this time on the
    /// same step of the schedule, neither a success nor a failure.
    /// </summary>
    public DateTimeOffset? WaitUntil { get; init; }

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
        int? status = null;
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date is { } date ? date - time.GetUtcNow() : null)
                : null;
            var start = await ReadStartAsync(response, linked.Token);
            return new SendResult(at, status, Elapsed(started), null, start, retryAfter, TimedOut: false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new SendResult(at, status, Elapsed(started), $"no answer within {options.Value.RequestTimeout.TotalSeconds:0.#} s", null, null, TimedOut: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Refused, reset, a body cut short: an attempt that failed like any other, never an escape from the schedule.
            return new SendResult(at, status, Elapsed(started), Describe(ex), null, null, TimedOut: false);
        }
    }

    private static string Describe(Exception ex) => ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;

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

        return Printable(Encoding.UTF8.GetString(buffer, 0, read));
    }

    /// <summary>
    /// The start of an answer as it can be stored and shown: control characters (a NUL is refused by PostgreSQL)
    /// replaced, and cut between whole characters.
    /// </summary>
    internal static string Printable(string text)
    {
        var cut = text.Length > ResponseStartLength ? ResponseStartLength : text.Length;
        if (cut < text.Length && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        var chars = text.AsSpan(0, cut).ToArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]) && chars[i] is not ('\n' or '\r' or '\t'))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
