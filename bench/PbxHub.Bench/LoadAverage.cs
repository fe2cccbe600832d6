namespace PbxHub.Bench;

/// <summary>The machine's load average (1, 5, 15 min), printed beside figures measured on a shared machine.</summary>
internal static class LoadAverage
{
    public static string Now()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
