using System.Globalization;
using PbxHub.Bench.Storage;

namespace PbxHub.Bench.Journal;

/// <summary>The <c>journal</c> verb's options.</summary>
/// <param name="Checkpoint">Calls at which the queries are timed first, before the fill goes on to <paramref name="Calls"/> (0: only at the end).</param>
internal sealed record JournalSettings(int Calls, int Checkpoint, int Runs, int Warmup, StorageChoice Storage)
{
    public static JournalSettings Parse(string[] args)
    {
        var s = new JournalSettings(1_000_000, -1, 200, 10, new StorageChoice(["sqlite", "postgres"], null));
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            s = name switch
            {
                "--calls" => s with { Calls = Whole(name, value, 1000, 50_000_000) },
                "--checkpoint" => s with { Checkpoint = Whole(name, value, 0, 50_000_000) },
                "--runs" => s with { Runs = Whole(name, value, 1, 100_000) },
                "--warmup" => s with { Warmup = Whole(name, value, 0, 10_000) },
                "--storage" => s with { Storage = s.Storage with { Engines = StorageChoice.ParseEngines(value) } },
                "--postgres" => s with { Storage = s.Storage with { PostgresServer = value } },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        // By default the first measurement is at a tenth of the calls: the ratio of the two is the scaling.
        var checkpoint = s.Checkpoint < 0 ? s.Calls / 10 : s.Checkpoint;
        if (checkpoint >= s.Calls)
        {
            throw new ArgumentException($"--checkpoint must be below --calls ({s.Calls}), or 0 for none");
        }

        return s with { Checkpoint = checkpoint, Storage = s.Storage.Checked() };
    }

    private static int Whole(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'");
}
