using System.Globalization;
using PbxHub.Bench.Load;

namespace PbxHub.Bench.Sustained;

/// <summary>What <c>sustained</c> prints at the end: memory start/end/max/slope, the rate achieved, latency over the run and per minute.</summary>
internal static class SustainedReport
{
    public static void Print(SustainedResult r, double rate, ThroughputResult max, double fraction, TimeSpan settle, long afterMax, double flatRatio)
    {
        var samples = r.Samples;
        var start = samples.FirstOrDefault(s => s.At >= settle) ?? samples[0];
        var end = samples[^1];
        var peak = samples.Max(s => s.ResidentBytes);
        var measured = samples.Where(s => s.At >= start.At).ToList();
        var slope = SlopeMibPerMinute(measured);
        var ok = r.Latencies.Where(l => !double.IsNaN(l)).ToArray();
        var achieved = r.Sent / r.SendingTook.TotalSeconds;
        var acknowledgedRate = ok.Length / (end.At.TotalSeconds);
        var cpu = (end.CpuTime - samples[0].CpuTime).TotalSeconds / (end.At - samples[0].At).TotalSeconds;
        Console.WriteLine();
        Console.WriteLine("per minute (open loop): acknowledged req/s, latency ms from when due, hub resident memory at the minute's end");
        Console.WriteLine($"  {"minute",6}{"req/s",8}{"p50",9}{"p99",9}{"p99.9",9}{"max",9}{"RSS MiB",9}{"anon",7}{"db MiB",8}");
        var minutes = (int)Math.Ceiling(r.SendingTook.TotalMinutes);
        for (var m = 0; m < minutes; m++)
        {
            var from = (long)(m * 60 * rate);
            var to = Math.Min(r.Sent, (long)((m + 1) * 60 * rate));
            var window = r.Latencies[(int)from..(int)to].Where(l => !double.IsNaN(l)).ToArray();
            var p = Percentiles.Of(window);
            var rss = samples.LastOrDefault(s => s.At.TotalMinutes <= m + 1) ?? end;
            Console.WriteLine(Invariant($"  {m + 1,6}{window.Length / Math.Min(60, (to - from) / rate),8:0}{p.P50,9:0.00}{p.P99,9:0.00}{p.P999,9:0.00}{p.Max,9:0.00}{SustainedCommand.Mib(rss.ResidentBytes),9}{SustainedCommand.Mib(rss.AnonymousBytes),7}{SustainedCommand.Mib(rss.DatabaseBytes),8}"));
        }

        var all = Percentiles.Of(ok);
        Console.WriteLine();
        Console.WriteLine(Invariant($"maximum {max.RequestsPerSecond:0} req/s; target {rate:0} req/s = {rate / max.RequestsPerSecond:0.00} × maximum"));
        Console.WriteLine(Invariant($"sent {r.Sent:N0} in {r.SendingTook.TotalSeconds:0} s: {achieved:0.0} req/s = {achieved / rate:0.000} × target; acknowledged {ok.Length:N0} ({acknowledgedRate:0.0} req/s over {end.At.TotalSeconds:0} s); errors {r.Errors.Total} ({r.Errors}); dispatcher lag max {r.MaxDispatchLag.TotalMilliseconds:0.0} ms"));
        Console.WriteLine(Invariant($"latency over the run, ms: p50 {all.P50:0.00}, p90 {all.P90:0.00}, p99 {all.P99:0.00}, p99.9 {all.P999:0.00}, max {all.Max:0.00}"));
        Console.WriteLine(Invariant($"hub CPU: {cpu:0.00} cores on average over the open loop"));
        Console.WriteLine(Invariant($"resident memory, MiB: after the maximum {SustainedCommand.Mib(afterMax)}; start ({start.At.TotalSeconds:0} s in) {SustainedCommand.Mib(start.ResidentBytes)}; end ({end.At.TotalSeconds:0} s) {SustainedCommand.Mib(end.ResidentBytes)}; max {SustainedCommand.Mib(peak)}; slope from start {slope:0.00} MiB/min"));
        var ratio = (double)end.ResidentBytes / start.ResidentBytes;
        Console.WriteLine(Invariant($"end / start = {ratio:0.000}; max / start = {(double)peak / start.ResidentBytes:0.000} — flat (end / start <= {flatRatio}): {(ratio <= flatRatio ? "YES" : "NO")}"));
    }

    /// <summary>Least-squares slope of resident memory over time.</summary>
    private static double SlopeMibPerMinute(IReadOnlyList<ProcessSample> samples)
    {
        if (samples.Count < 2)
        {
            return double.NaN;
        }

        var xs = samples.Select(s => s.At.TotalMinutes).ToArray();
        var ys = samples.Select(s => s.ResidentBytes / 1048576.0).ToArray();
        var mx = xs.Average();
        var my = ys.Average();
        var num = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my));
        var den = xs.Sum(x => (x - mx) * (x - mx));
        return den == 0 ? double.NaN : num / den;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
