using System.Diagnostics;

namespace PbxHub.Bench.Freshness;

/// <summary>
/// A CPU profile of the hub child over the measured phase: <c>dotnet-trace collect-linux -p PID --profile
/// cpu-sampling</c> (perf_events; needs root), then <c>dotnet-trace report … topN --inclusive</c> saved beside the
/// trace and turned into CPU shares per stage by <see cref="StageShares"/>.
/// </summary>
internal sealed class HubProfiler : IAsyncDisposable
{
    private readonly Process collector;
    private readonly string trace;

    private HubProfiler(Process collector, string trace)
    {
        this.collector = collector;
        this.trace = trace;
    }

    public static async Task<HubProfiler> StartAsync(int pid, TimeSpan duration, string folder, string engine)
    {
        Directory.CreateDirectory(folder);
        var trace = Path.GetFullPath(Path.Combine(folder, $"hub-{engine}.nettrace"));
        var collector = Start(
            ["collect-linux", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--profile", "cpu-sampling",
             "--duration", $"00:00:{(int)duration.TotalMinutes:00}:{duration.Seconds:00}", "-o", trace]);
        // collect-linux needs a moment to attach before the samples it takes are the load's.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return new HubProfiler(collector, trace);
    }

    /// <summary>Waits for the trace, writes its inclusive top-N report and prints the CPU shares per stage.</summary>
    public async Task ReportAsync(double cpuUsPerRequest)
    {
        await collector.WaitForExitAsync();
        if (!File.Exists(trace))
        {
            Console.WriteLine($"  profile: dotnet-trace wrote no {trace} (exit {collector.ExitCode}): {await collector.StandardError.ReadToEndAsync()}");
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
