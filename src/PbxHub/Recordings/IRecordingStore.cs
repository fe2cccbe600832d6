namespace PbxHub.Recordings;

/// <summary>Where kept recordings live: the data folder or S3-compatible object storage (docs/recordings.md).</summary>
internal interface IRecordingStore
{
    /// <summary>Stores the file at <paramref name="path"/> under <paramref name="key"/>, replacing what was there.</summary>
    Task PutAsync(string key, string path, string contentType, CancellationToken ct);

    /// <summary><paramref name="length"/> bytes of the object from <paramref name="offset"/>; null when there is no such object.</summary>
    Task<Stream?> OpenAsync(string key, long offset, long length, CancellationToken ct);

    /// <summary>The object's length in bytes; null when there is no such object.</summary>
    Task<long?> LengthAsync(string key, CancellationToken ct);

    Task DeleteAsync(string key, CancellationToken ct);
}

internal static class RecordingKeys
{
    /// <summary>One object per call, named by the account and PbxHub's call id, so a new file of the call replaces the old.</summary>
    public static string For(string account, string callId, string contentType) =>
        $"{account}/{callId}.{(contentType == "audio/mpeg" ? "mp3" : "wav")}";
}

/// <summary>Files under the data folder (the default): written to a temporary name and renamed, so a reader never sees half a file.</summary>
internal sealed class FileRecordingStore(string folder) : IRecordingStore
{
    public async Task PutAsync(string key, string path, string contentType, CancellationToken ct)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".part";
        await using (var from = File.OpenRead(path))
        await using (var to = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            await from.CopyToAsync(to, ct);
            await to.FlushAsync(ct);
            to.Flush(flushToDisk: true);
        }

        File.Move(temporary, target, overwrite: true);
    }

    public Task<Stream?> OpenAsync(string key, long offset, long length, CancellationToken ct)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return Task.FromResult<Stream?>(null);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous);
        file.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream?>(new LimitedStream(file, length));
    }

    public Task<long?> LengthAsync(string key, CancellationToken ct)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult<long?>(file.Exists ? file.Length : null);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    /// <summary>Keys are made of an account id and a call id; a key that would leave the folder is refused.</summary>
    private string PathOf(string key)
    {
        var root = Path.GetFullPath(folder);
        var path = Path.GetFullPath(Path.Combine(root, key));
        return path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"Recording key '{key}' is outside the recordings folder.", nameof(key));
    }
}
