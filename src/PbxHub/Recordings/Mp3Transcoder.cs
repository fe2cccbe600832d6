using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace PbxHub.Recordings;

/// <summary>Why an MP3 could not be made: <paramref name="Status"/> 501 when the encoder is not installed, 500 when it failed.</summary>
internal sealed class TranscodeException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}

/// <summary>
/// MP3 on demand (<c>?format=mp3</c>, connectors' <c>RecordingFormat</c>): a kept WAV is encoded once with ffmpeg
/// (<c>PbxHub:Recordings:Encoder</c>) and cached in the store beside it as <c>&lt;account&gt;/&lt;call id&gt;.mp3</c>,
/// so players seeking in it and a CRM fetching it later get the same bytes without encoding again (docs/recordings.md).
/// </summary>
internal sealed partial class Mp3Transcoder(IRecordingStore store, IOptions<RecordingsOptions> options, TimeProvider time, ILogger<Mp3Transcoder> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<long>>> running = new(StringComparer.Ordinal);

    /// <summary>The encoder's executable, or null when it is not installed where the setting says.</summary>
    public string? Executable()
    {
        var encoder = options.Value.Encoder;
        if (encoder.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(encoder) ? encoder : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, encoder)).FirstOrDefault(File.Exists);
    }

    /// <summary>The MP3 of a kept WAV (<paramref name="wavKey"/>): its key and length, encoded now unless already cached.</summary>
    public async Task<(string Key, long Length)> EnsureAsync(string account, string callId, string wavKey, long wavBytes, CancellationToken ct)
    {
        var key = RecordingKeys.For(account, callId, "audio/mpeg");
        if (await store.LengthAsync(key, ct) is { } cached)
        {
            return (key, cached);
        }

        // One encoding per recording at a time on this node; the others wait for it.
        var work = running.GetOrAdd(key, k => new Lazy<Task<long>>(() => EncodeOnceAsync(k, wavKey, wavBytes)));
        return (key, await work.Value.WaitAsync(ct));
    }

    /// <summary>Leaves <see cref="running"/> when done, so a later request (the cache deleted meanwhile) encodes again.</summary>
    private async Task<long> EncodeOnceAsync(string key, string wavKey, long wavBytes)
    {
        try
        {
            return await EncodeAsync(key, wavKey, wavBytes);
        }
        finally
        {
            running.TryRemove(key, out _);
        }
    }

    private async Task<long> EncodeAsync(string key, string wavKey, long wavBytes)
    {
        var o = options.Value;
        var encoder = Executable() ?? throw new TranscodeException(
            501, "MP3 encoder not installed",
            $"MP3 recordings need ffmpeg, which is not installed here ({RecordingsOptions.Section}:Encoder = '{o.Encoder}'): install it (apt-get install ffmpeg) or point {RecordingsOptions.Section}:Encoder at it.");
        using var timeout = new CancellationTokenSource(o.FetchTimeout, time);
        var output = Path.Combine(Path.GetTempPath(), "pbxhub-recordings", Guid.NewGuid().ToString("n") + ".mp3");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        try
        {
            var start = new ProcessStartInfo(encoder) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
            // Constant bit rate, so the MP3's duration is exact and players seek by byte offset.
            foreach (var arg in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "wav", "-i", "pipe:0", "-codec:a", "libmp3lame", "-b:a", o.Mp3BitRate, "-f", "mp3", "-y", output])
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
            try
            {
                await FeedAsync(process, wavKey, wavBytes, timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TranscodeException(500, "MP3 encoding failed", $"ffmpeg did not finish within {o.FetchTimeout.TotalSeconds:0.#} s ({RecordingsOptions.Section}:FetchTimeout).");
            }
            finally
            {
                // Never left behind: not on a timeout, nor when the WAV could not be read.
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            if (process.ExitCode != 0 || !File.Exists(output))
            {
                var text = (await errors).Trim();
                LogFailed(logger, key, process.ExitCode, text);
                throw new TranscodeException(500, "MP3 encoding failed", $"ffmpeg exited with {process.ExitCode}: {text}");
            }

            await store.PutAsync(key, output, "audio/mpeg", CancellationToken.None);
            return new FileInfo(output).Length;
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The kept WAV into the encoder's standard input; an encoder that stops reading early ends the copy.</summary>
    private async Task FeedAsync(Process process, string wavKey, long wavBytes, CancellationToken ct)
    {
        try
        {
            await using var wav = await store.OpenAsync(wavKey, 0, wavBytes, ct)
                ?? throw new TranscodeException(404, "Recording missing", "The recording is recorded as kept but its file is not in the store.");
            await using var input = process.StandardInput.BaseStream;
            await wav.CopyToAsync(input, ct);
        }
        catch (IOException)
        {
            // The encoder closed its input (it failed, or needs no more): its exit code says which.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Encoding {Key} as MP3 failed: exit {ExitCode}: {Errors}")]
    private static partial void LogFailed(ILogger logger, string key, int exitCode, string errors);
}
