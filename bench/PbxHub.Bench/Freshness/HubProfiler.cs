using System.Diagnostics;

namespace PbxHub.Bench.Freshness;

/// <summary>
/// A CPU profile of the hub child over the measured phase: <c>dotnet-trace collect-linux -p PID --profile
/// cpu-sampling</c> (perf_events; needs root), then <c>dotnet-trace report … topN --inclusive</c> saved beside the
/// trace and turned into CPU shares per stage by <see cref="StageShares"/>.
/// </summary>
internal sealed class HubProfiler : IAsyncDisposable
{
    private static readonly TimeSpan Attach = TimeSpan.FromSeconds(2);

    private readonly Process collector;
    private readonly string trace;
    private readonly System.Text.StringBuilder output = new();

    private HubProfiler(Process collector, string trace)
    {
        this.collector = collector;
        this.trace = trace;
    }

    public static async Task<HubProfiler> StartAsync(int pid, TimeSpan duration, string folder, string engine)
    {
        Directory.CreateDirectory(folder);
        var trace = Path.GetFullPath(Path.Combine(folder, $"hub-{engine}.nettrace"));
        // collect-linux needs a moment to attach: the load starts after it, and the trace lasts that much longer so it
        // still covers the whole phase (an idle stretch adds almost no on-CPU samples).
        var length = duration + Attach;
        var collector = Start(
            ["collect-linux", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--profile", "cpu-sampling",
             "--duration", $"00:{(int)length.TotalHours:00}:{length.Minutes:00}:{length.Seconds:00}", "-o", trace]);
        var profiler = new HubProfiler(collector, trace);
        // Its progress output is drained as it comes, so a full pipe never stalls it; kept for the error message.
        collector.OutputDataReceived += (_, e) => profiler.Append(e.Data);
        collector.ErrorDataReceived += (_, e) => profiler.Append(e.Data);
        collector.BeginOutputReadLine();
        collector.BeginErrorReadLine();
        await Task.Delay(Attach);
        return profiler;
    }

    /// <summary>Waits for the trace, writes its inclusive top-N report and prints the CPU shares per stage.</summary>
    public async Task ReportAsync(double cpuUsPerRequest)
    {
        await collector.WaitForExitAsync();
        if (!File.Exists(trace))
        {
            Console.WriteLine($"  profile: dotnet-trace wrote no {trace} (exit {collector.ExitCode}): {Output()}");
            return;
        }

        using var report = Start(["report", trace, "topN", "--inclusive", "-n", "3000"]);
        var text = await report.StandardOutput.ReadToEndAsync();
        await report.WaitForExitAsync();
        var reportPath = Path.ChangeExtension(trace, ".topN.txt");
        await File.WriteAllTextAsync(reportPath, text);
        Console.WriteLine($"  profile: {trace}, report {reportPath}");
        StageShares.Print(StageShares.FromTopN(text), cpuUsPerRequest);
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

    private string Output()
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static Process Start(IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(Tool()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("dotnet-trace did not start");
    }

    /// <summary>DOTNET_TRACE, else ~/.dotnet/tools/dotnet-trace (<c>dotnet tool install -g dotnet-trace</c>), else PATH.</summary>
    private static string Tool()
    {
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        return Environment.GetEnvironmentVariable("DOTNET_TRACE") ?? (File.Exists(home) ? home : "dotnet-trace");
    }

    public async ValueTask DisposeAsync()
    {
        if (!collector.HasExited)
        {
            collector.Kill();
            await collector.WaitForExitAsync();
        }

        collector.Dispose();
    }
}
