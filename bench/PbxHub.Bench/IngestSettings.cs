using System.Globalization;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench;

/// <summary>The <c>ingest</c> verb's options.</summary>
internal sealed record IngestSettings(
    int Connections, double Seconds, double Warmup, double Rate, double LatencySeconds, long MaxRequests, IReadOnlyList<BenchProvider> Providers)
{
    public static IngestSettings Parse(string[] args)
    {
        var s = new IngestSettings(16, 10, 3, 500, 10, 2_000_000, BenchProvider.All);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            s = name switch
            {
                "--connections" => s with { Connections = (int)Number(name, value, 1, 1024) },
                "--seconds" => s with { Seconds = Number(name, value, 0.5, 600) },
                "--warmup" => s with { Warmup = Number(name, value, 0, 120) },
                "--rate" => s with { Rate = Number(name, value, 1, 100_000) },
                "--latency-seconds" => s with { LatencySeconds = Number(name, value, 0, 600) },
                "--max-requests" => s with { MaxRequests = (long)Number(name, value, 1, 100_000_000) },
                "--provider" => s with { Providers = value == "all" ? BenchProvider.All : [BenchProvider.All.FirstOrDefault(p => p.Name == value)
                    ?? throw new ArgumentException($"--provider must be sipuni, hooktype, evrotel or all, not '{value}'")] },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return s;
    }

    private static double Number(string name, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{text}'");
        }

        return value;
    }
}
