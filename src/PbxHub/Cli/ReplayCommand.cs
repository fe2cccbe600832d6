using System.CommandLine;
using Microsoft.Extensions.Options;
using Npgsql;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Cli;

/// <summary><c>pbxhub replay</c>: says what it found, and never deletes a call it cannot rebuild (docs/replay.md).</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var command = new Command("replay", "Rebuild the call records of the configured accounts from the stored raw events");
        command.SetAction(async (parse, ct) =>
        {
            await using var app = CliApp.ToolHost(parse);
            var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (!storage.IsPostgres && !File.Exists(storage.SqlitePath))
            {
                // The wrong folder: creating an empty database there and "replaying" it would only hide the mistake.
                Console.Error.WriteLine(
                    $"No database at {storage.SqlitePath}: nothing to replay. Run replay in the hub's folder, or name its data folder with --data.");
                return 1;
            }

            await CliApp.PrepareAsync(app, ct);
            var summary = await app.Services.GetRequiredService<Replayer>().ReplayAsync(null, ct);
            Report(summary, Where(storage));
            return 0;
        });
        return command;
    }

    private static void Report(ReplaySummary summary, string where)
    {
        if (summary.RawEvents == 0)
        {
            Console.WriteLine($"No raw events found in {where}; nothing to replay.");
            return;
        }

        Console.WriteLine(
            $"Replayed {summary.RawEvents - summary.Skipped.Values.Sum()} raw events into {summary.Calls} calls; " +
            $"{summary.Recovered} quarantined requests recovered, {summary.StillQuarantined} still quarantined; " +
            $"{summary.NewEvents} new events in the log.");
        if (summary.Skipped.Count > 0)
        {
            var accounts = string.Join(", ", summary.Skipped.Select(s => $"{s.Key} ({s.Value} raw events)"));
            Console.Error.WriteLine(
                $"Left alone, with their calls kept as they were: accounts this configuration does not declare: {accounts}. " +
                "To rebuild them, run replay with the same configuration and environment as the service.");
        }
    }

    private static string Where(StorageOptions storage) => storage.IsPostgres
        ? $"the PostgreSQL database {new NpgsqlConnectionStringBuilder(storage.ConnectionString).Database}"
        : storage.SqlitePath;
}
