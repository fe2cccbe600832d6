using System.CommandLine;
using Dapper;
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
            if (await NothingThereAsync(storage, app.Services.GetRequiredService<ISqlDatabase>(), ct) is { } nothing)
            {
                Console.Error.WriteLine(nothing);
                return 1;
            }

            await CliApp.PrepareAsync(app, ct);
            var summary = await app.Services.GetRequiredService<Replayer>().ReplayAsync(null, ct);
            return Report(summary, Where(storage));
        });
        return command;
    }

    /// <summary>
    /// Why there is nothing to replay where the configuration points (the wrong folder or database), or null. Creating
    /// an empty database or PbxHub's tables there and "replaying" nothing would only hide the mistake (docs/replay.md).
    /// </summary>
    private static async Task<string?> NothingThereAsync(StorageOptions storage, ISqlDatabase database, CancellationToken ct)
    {
        if (!storage.IsPostgres)
        {
            return File.Exists(storage.SqlitePath)
                ? null
                : $"No database at {storage.SqlitePath}: nothing to replay. Run replay in the hub's folder, or name its data folder with --data.";
        }

        const string Check = "Check PbxHub:Storage:ConnectionString: it must name the service's database.";
        try
        {
            await using var connection = await database.OpenAsync(ct);
            var migrated = await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL");
            return migrated ? null : $"No PbxHub tables in {Where(storage)}: nothing to replay. {Check}";
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return $"No database {Name(storage)} on the PostgreSQL server: nothing to replay. {Check}";
        }
    }

    /// <returns>The exit code: 1 when raw events were found but none could be replayed (the shell lacks the service's configuration).</returns>
    private static int Report(ReplaySummary summary, string where)
    {
        if (summary.RawEvents == 0)
        {
            Console.WriteLine($"No raw events found in {where}; nothing to replay.");
            return 0;
        }

        const string Remedy = "To rebuild them, run replay with the same configuration and environment as the service.";
        var accounts = string.Join(", ", summary.Skipped.Select(s => $"{s.Key} ({s.Value} raw events)"));
        if (summary.Skipped.Values.Sum() == summary.RawEvents)
        {
            Console.Error.WriteLine(
                $"Nothing replayed: every raw event in {where} belongs to an account this configuration does not declare: {accounts}. " +
                $"Their calls are kept as they were. {Remedy}");
            return 1;
        }

        Console.WriteLine(
            $"Replayed {summary.RawEvents - summary.Skipped.Values.Sum()} raw events into {summary.Calls} calls; " +
            $"{summary.Recovered} quarantined requests recovered, {summary.StillQuarantined} still quarantined; " +
            $"{summary.NewEvents} new events in the log.");
        if (summary.Skipped.Count > 0)
        {
            Console.Error.WriteLine($"Left alone, with their calls kept as they were: accounts this configuration does not declare: {accounts}. {Remedy}");
        }

        return 0;
    }

    private static string Where(StorageOptions storage) => storage.IsPostgres ? $"the PostgreSQL database {Name(storage)}" : storage.SqlitePath;

    /// <summary>The database the connection string names; Npgsql takes the user's name when it names none.</summary>
    private static string? Name(StorageOptions storage) =>
        new NpgsqlConnectionStringBuilder(storage.ConnectionString) is var b ? b.Database ?? b.Username : null;
}
