using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Delivery;

namespace PbxHub.Recordings;

/// <summary>A fetched recording in a temporary file, or why there is none (<paramref name="Final"/>: trying again cannot help).</summary>
internal sealed record Fetched(string? Path, AudioInfo? Audio, long Bytes, string? Sha256, string? Error, bool Final = false);

/// <summary>
/// Downloads one recording: only from the account's recording hosts (redirects included), never into the webhooks'
/// blocked networks (the same connect-time check), within the size and time limits, and only if it is WAV or MP3.
/// </summary>
internal sealed class RecordingDownloader(IHttpClientFactory clients, WebhookDestinations destinations, IOptions<RecordingsOptions> options, TimeProvider time)
{
    public const string ClientName = "recordings";
    private const int MaxRedirects = 5;

    public async Task<Fetched> FetchAsync(Account account, string link, CancellationToken ct)
    {
        var o = options.Value;
        if (!Uri.TryCreate(link, UriKind.Absolute, out var url))
        {
            return new Fetched(null, null, 0, null, $"'{link}' is not an absolute link", Final: true);
        }

        using var timeout = new CancellationTokenSource(o.FetchTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            for (var hop = 0; hop <= MaxRedirects; hop++)
            {
                if ((RecordingHosts.Problem(account, url) ?? destinations.Problem(url)) is { } refused)
                {
                    return new Fetched(null, null, 0, null, refused, Final: true);
                }

                if (url.Scheme == "ftp")
                {
                    return await FtpAsync(url, o.MaxBytes, linked.Token);
                }

                using var response = await clients.CreateClient(ClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    url = new Uri(url, location);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    return new Fetched(null, null, 0, null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                }

                if (response.Content.Headers.ContentLength > o.MaxBytes)
                {
                    return TooLarge(o.MaxBytes);
                }

                await using var body = await response.Content.ReadAsStreamAsync(linked.Token);
                return await SaveAsync(body, response.Content.Headers.ContentType?.ToString(), o.MaxBytes, linked.Token);
            }

            return new Fetched(null, null, 0, null, $"more than {MaxRedirects} redirects");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new Fetched(null, null, 0, null, $"not fetched within {o.FetchTimeout.TotalSeconds:0.#} s ({RecordingsOptions.Section}:FetchTimeout)");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return new Fetched(null, null, 0, null, ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message);
        }
    }

    /// <summary>An <c>ftp://</c> link (docs/recordings.md#ftp-links): the same limits and checks as over HTTP.</summary>
    private async Task<Fetched> FtpAsync(Uri url, long maxBytes, CancellationToken ct)
    {
        await using var ftp = await FtpRecordingSource.OpenAsync(url, destinations, ct);
        if (ftp.Length > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        var fetched = await SaveAsync(ftp.Body, null, maxBytes, ct);
        if (fetched.Path is { } path)
        {
            try
            {
                await ftp.CompleteAsync(ct);
            }
            catch
            {
                File.Delete(path);
                throw;
            }
        }

        return fetched;
    }

    private static async Task<Fetched> SaveAsync(Stream body, string? contentType, long maxBytes, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), "pbxhub-recordings");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Guid.NewGuid().ToString("n"));
        var head = new byte[AudioHeader.HeadLength];
        var headLength = 0;
        long total = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        File.Delete(path);
                        return TooLarge(maxBytes);
                    }

                    var toHead = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, toHead).CopyTo(head.AsSpan(headLength));
                    headLength += toHead;
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }

            if (AudioHeader.Read(head.AsSpan(0, headLength), total) is not { } audio)
            {
                File.Delete(path);
                return new Fetched(null, null, total, null, AudioHeader.NotAudio(head.AsSpan(0, headLength), contentType));
            }

            return new Fetched(path, audio, total, Convert.ToHexStringLower(sha.GetHashAndReset()), null);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static Fetched TooLarge(long maxBytes) =>
        new(null, null, 0, null, $"larger than {maxBytes} bytes ({RecordingsOptions.Section}:MaxBytes)", Final: true);
}
