using System.Diagnostics;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>A tmpfs of its own: mounting one needs root, and the suite's SQLite runs only.</summary>
internal sealed class SmallDiskFactAttribute : FactAttribute
{
    public SmallDiskFactAttribute()
    {
        if (TestStorage.IsPostgres)
        {
            Skip = "about SQLite's own file";
        }
        else if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Skip = "mounting a small tmpfs needs root on Linux";
        }
    }
}

/// <summary>A tmpfs of a few MiB mounted for one test, for a real full disk under the hub's SQLite file.</summary>
internal sealed class SmallDisk : IAsyncDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static async Task<SmallDisk> MountAsync(int sizeMiB)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pbxhub-tests", "disk-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(path);
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={sizeMiB}m", "tmpfs", path);
        return new SmallDisk(path);
    }

    /// <summary>Writes a file until the disk is full, as another program's log would; returns its path.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        using var file = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full; the last bytes that fitted stay.
        }

        Array.Resize(ref chunk, 512);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            return filler;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", "--lazy", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {await error}");
    }
}
