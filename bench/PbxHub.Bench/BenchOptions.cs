using System.Globalization;
using PbxHub.Bench.Storage;

namespace PbxHub.Bench;

/// <summary><c>--name value</c> pairs of a verb, read once each; any left unread is an unknown option.</summary>
internal sealed class BenchOptions
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    public BenchOptions(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name}: expected --name value");
            }

            values[name] = args[++i];
        }
    }

    public double Number(string name, double fallback, double min, double max)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{text}'");
    }

    public int Whole(string name, int fallback, int min, int max) => (int)Number(name, fallback, min, max);

    public IReadOnlyList<double> Numbers(string name, IReadOnlyList<double> fallback, double min, double max) =>
        Text(name) is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                    ? v
                    : throw new ArgumentException($"{name} must be numbers from {min} to {max} separated by commas, not '{text}'"))
                .ToList()
            : fallback;

    /// <summary><c>--storage</c> (sqlite, postgres or both) and <c>--postgres</c>, checked.</summary>
    public StorageChoice Storage(string fallback) =>
        new StorageChoice(StorageChoice.ParseEngines(Text("--storage") ?? fallback), Text("--postgres")).Checked();

    public string? Text(string name)
    {
        read.Add(name);
        return values.GetValueOrDefault(name);
    }

    /// <summary>Throws for an option no getter asked for.</summary>
    public void CheckAllRead()
    {
        if (values.Keys.FirstOrDefault(k => !read.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"unknown option {unknown}");
        }
    }
}
