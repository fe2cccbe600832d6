using System.Globalization;
using PbxHub.Bench.Storage;

namespace PbxHub.Bench.Journal;

/// <summary>The <c>journal</c> verb's options.</summary>
/// <param name="Checkpoints">Counts at which the queries are timed before the fill goes on to <paramref name="Calls"/> (empty: only at the end).</param>
internal sealed record JournalSettings(int Calls, IReadOnlyList<int> Checkpoints, int Runs, int Warmup, StorageChoice Storage)
{
    public static JournalSettings Parse(string[] args)
    {
        var s = new JournalSettings(1_000_000, [-1], 200, 10, new StorageChoice(["sqlite", "postgres"], null));
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            s = name switch
            {
                "--calls" => s with { Calls = Whole(name, value, 1000, 50_000_000) },
                "--checkpoint" => s with { Checkpoints = value.Split(',').Select(v => Whole(name, v, 0, 50_000_000)).Where(v => v > 0).ToList() },
                "--runs" => s with { Runs = Whole(name, value, 1, 100_000) },
                "--warmup" => s with { Warmup = Whole(name, value, 0, 10_000) },
                "--storage" => s with { Storage = s.Storage with { Engines = StorageChoice.ParseEngines(value) } },
                "--postgres" => s with { Storage = s.Storage with { PostgresServer = value } },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        // By default the first measurement is at a tenth of the calls: the ratio of the two is the scaling.
        IReadOnlyList<int> checkpoints = s.Checkpoints is [-1] ? [s.Calls / 10] : s.Checkpoints;
        if (checkpoints.Any(c => c >= s.Calls) || !checkpoints.SequenceEqual(checkpoints.Order().Distinct()))
        {
            throw new ArgumentException($"--checkpoint must be ascending counts below --calls ({s.Calls}), separated by commas, or 0 for none");
        }

        return s with { Checkpoints = checkpoints, Storage = s.Storage.Checked() };
    }

    private static int Whole(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'");
}
