using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PbxHub.Bench.Targets;

/// <summary>
/// A server as its own process (<c>dotnet X.dll …</c>), so its resident memory is its own: started, timed
/// from the process start to the first <c>200</c> on its ready path, sampled, and stopped with SIGTERM.
/// </summary>
internal sealed class ChildServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ChildServer(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public int Pid => process.Id;

    /// <summary>From <see cref="Process.Start()"/> to the first 200 on the ready path.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The bench's own output folder holds pbxhub.dll (the project reference) and PbxHub.Bench.dll.</summary>
    public static string Dll(string name) => Path.Combine(AppContext.BaseDirectory, name);

    /// <param name="arguments">After the dll; <c>--urls</c> with a free port is added.</param>
    public static async Task<ChildServer> StartAsync(
        string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string readyPath, TimeSpan timeout)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(dll);
        foreach (var argument in arguments.Concat(["--urls", baseUrl]))
        {
            psi.ArgumentList.Add(argument);
        }

        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        var child = new ChildServer(new Process { StartInfo = psi }, baseUrl);
        child.process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child.process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        try
        {
            var clock = Stopwatch.StartNew();
            child.process.Start();
            child.process.BeginOutputReadLine();
            child.process.BeginErrorReadLine();
            await child.WaitReadyAsync(readyPath, clock, timeout);
            child.StartupTime = clock.Elapsed;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        return child;
    }

    /// <summary>VmRSS of /proc/&lt;pid&gt;/status, in bytes.</summary>
    public long ResidentBytes() => Status("VmRSS:");

    /// <summary>RssAnon (heaps: managed and native, e.g. SQLite's page caches), in bytes.</summary>
    public long AnonymousBytes() => Status("RssAnon:");

    private long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no {field} for process {process.Id}");
    }

    /// <summary>CPU time the process has used so far (user + system).</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private async Task WaitReadyAsync(string readyPath, Stopwatch clock, TimeSpan timeout)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(BaseUrl + readyPath);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"not ready within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    /// <summary>SIGTERM (a clean shutdown, as a service manager stops it), then SIGKILL if it has not exited after 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
