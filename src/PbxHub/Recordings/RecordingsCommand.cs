using System.CommandLine;
using System.Globalization;
using PbxHub.Cli;

namespace PbxHub.Recordings;

/// <summary>
/// <c>pbxhub recordings fetch --since …</c>: queues the recordings of calls whose link became known since then and that
/// were never kept (received by a version that did not fetch recordings, or failed); the service fetches them.
/// </summary>
internal static class RecordingsCommand
{
    public static Command Create()
    {
        var since = new Option<string>("--since") { Description = "Calls whose recording link became known at or after this time (ISO 8601, e.g. 2026-11-01T00:00:00Z)", Required = true };
        var account = new Option<string?>("--account") { Description = "Only this account's calls" };
        var fetch = new Command("fetch", "Queue the recordings never kept since a time; the running service fetches them") { since, account };
        fetch.SetAction(async (parse, ct) =>
        {
            if (!DateTimeOffset.TryParse(parse.GetValue(since), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from))
            {
                Console.Error.WriteLine($"--since '{parse.GetValue(since)}' is not a time such as 2026-11-01T00:00:00Z");
                return 2;
            }

            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var time = app.Services.GetRequiredService<TimeProvider>();
            var queued = await app.Services.GetRequiredService<RecordingQueue>().RequeueSinceAsync(from, parse.GetValue(account), time.GetUtcNow(), ct);
            Console.WriteLine($"Queued {queued} recordings of calls since {from.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}; the service fetches them (docs/recordings.md).");
            return 0;
        });
        return new Command("recordings", "Calls' recordings kept by PbxHub") { fetch };
    }
}
