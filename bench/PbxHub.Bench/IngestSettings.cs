using System.Globalization;
using PbxHub.Bench.Storage;
using PbxHub.Bench.Targets;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench;

/// <summary>The <c>ingest</c> verb's options.</summary>
internal sealed record IngestSettings(
    int Connections, double Seconds, double Warmup, double Rate, double LatencySeconds, long MaxRequests, IReadOnlyList<BenchProvider> Providers)
{
    /// <summary>The engines the hub is measured on, one fresh hub each (default SQLite only).</summary>
    public StorageChoice Storage { get; init; } = new(["sqlite"], null);

    /// <summary>none, slow and/or down: each engine is measured once per kind, with that subscriber (default none).</summary>
    public IReadOnlyList<string> Subscribers { get; init; } = ["none"];

    /// <summary>How long the slow subscriber takes to answer a delivery.</summary>
    public double SubscriberDelay { get; init; } = 2;

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
                "--storage" => s with { Storage = s.Storage with { Engines = StorageChoice.ParseEngines(value) } },
                "--postgres" => s with { Storage = s.Storage with { PostgresServer = value } },
                "--subscriber" => s with { Subscribers = value == "all" ? Subscriber.Kinds : Subscriber.Kinds.Contains(value) ? [value]
                    : throw new ArgumentException($"--subscriber must be none, slow, down or all, not '{value}'") },
                "--subscriber-delay" => s with { SubscriberDelay = Number(name, value, 0, 60) },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return s with { Storage = s.Storage.Checked() };
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
