namespace PbxHub.Bench.Freshness;

internal static class StageShares
{
    public static async Task<int> RunAsync(string[] args) { await Task.Yield(); return args.Length; }

    public static IReadOnlyList<(string Stage, double Percent)> FromTopN(string report) => [];

    public static void Print(IReadOnlyList<(string Stage, double Percent)> shares, long acknowledged)
    {
    }
}
