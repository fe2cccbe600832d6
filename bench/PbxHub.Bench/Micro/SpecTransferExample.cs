namespace PbxHub.Bench.Micro;

/// <summary>The seven requests of the Sipuni spec's transferred call (Sipuni's document, "Пример"; docs/call-record.md), with <c>timestamp</c> restored.</summary>
internal static class SpecTransferExample
{
    public const string CallId = "1419783130.15593";

    /// <summary>Read from Sipuni's own example hooks (src/PbxHub/Providers/Sipuni/Examples), the one copy of the documented example.</summary>
    public static readonly string[] Queries = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sipuni-transfer-example.txt"))
        .Where(line => line.Length > 0).Select(line => line[(line.IndexOf('?', StringComparison.Ordinal) + 1)..]).ToArray();
}
