using System.Diagnostics;
using System.Globalization;

namespace PbxHub.Bench.Wrk;

/// <summary>What one wrk run reports: acknowledged requests, refusals, socket errors and the latency distribution.</summary>
internal sealed record WrkResult(long Requests, double Seconds, long Non2xx, long SocketErrors, double P50Ms, double P99Ms, double MaxMs, bool Wrapped)
{
    public double RequestsPerSecond => (Requests - Non2xx - SocketErrors) / Seconds;
}

/// <summary>
/// Drives Debian's <c>wrk</c> (one thread, N connections) with a Lua script that sends a pool of requests written
/// beforehand, each once, in order: wrk takes a fraction of the CPU a .NET load generator would take from the server.
/// </summary>
internal static class WrkDriver
{
    private const string Script = """
        local pool, count, index, wrapped = {}, 0, 0, false
        local escapes = { n = "\n", r = "\r", t = "\t", ["\\"] = "\\" }
        init = function(args)
          local auth = args[2]
          for line in io.lines(args[1]) do
            local method, path, ctype, body = line:match("^(%u+)\t([^\t]*)\t([^\t]*)\t(.*)$")
            body = body:gsub("\\(.)", escapes)
            local headers = {}
            if ctype ~= "" then headers["Content-Type"] = ctype end
            if auth and auth ~= "" then headers["Authorization"] = auth end
            count = count + 1
            pool[count] = wrk.format(method, path, headers, body ~= "" and body or nil)
          end
        end
        request = function()
          index = index + 1
          if index > count then index, wrapped = 1, true end
          return pool[index]
        end
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("PBXHUB-WRK %d %d %d %d %.3f %.3f %.3f %s\n", summary.requests, summary.duration, e.status,
            e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
            latency.max / 1000, tostring(wrapped)))
        end
        """;

    /// <summary>Sends the pool at <paramref name="url"/> (its scheme, host and port; paths come from the pool).</summary>
    public static async Task<WrkResult> RunAsync(string url, string poolPath, string? authorization, int connections, double seconds)
    {
        if (!url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The benchmark only sends to 127.0.0.1, not {url}");
        }

        var scriptPath = Path.Combine(Path.GetDirectoryName(poolPath)!, "pool.lua");
        await File.WriteAllTextAsync(scriptPath, Script);
        var psi = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "-t1", $"-c{connections}", string.Create(CultureInfo.InvariantCulture, $"-d{seconds:0}s"), "--timeout", "30s",
            "-s", scriptPath, url, "--", poolPath, authorization ?? "",
        })
        {
            psi.ArgumentList.Add(argument);
        }

        using var wrk = Process.Start(psi) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        var errors = await wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("PBXHUB-WRK ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk exited with {wrk.ExitCode} and no summary:\n{output}{errors}");
        var f = line.Split(' ');
        return new WrkResult(
            long.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture) / 1e6,
            long.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[4], CultureInfo.InvariantCulture),
            double.Parse(f[5], CultureInfo.InvariantCulture), double.Parse(f[6], CultureInfo.InvariantCulture),
            double.Parse(f[7], CultureInfo.InvariantCulture), f[8] == "true");
    }
}
