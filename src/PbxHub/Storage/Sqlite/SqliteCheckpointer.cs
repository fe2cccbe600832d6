using Dapper;

namespace PbxHub.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log into the database file on its own connection, beside the writer (docs/storage.md,
/// "Checkpoints"). Left to SQLite, the checkpoint runs inside the commit that crossed the log's threshold, on the one
/// writer everything waits for, and flushes the whole database file there. A passive checkpoint never blocks the
/// writer; the writer's own threshold (<see cref="SqliteDatabase.WriterCheckpointPages"/>) stays as a backstop for
/// processes without this service (the CLI) and restarts the log once it is fully copied.
/// </summary>
internal sealed partial class SqliteCheckpointer(SqliteDatabase database, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>How often the log is looked at; under load about a thousand pages are written in this time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        Microsoft.Data.Sqlite.SqliteConnection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    connection ??= await database.OpenAsync(stoppingToken);
                    // busy, pages in the log, pages copied: only the cost of copying what was written since the last tick.
                    await connection.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE)");
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    // The writer's own checkpoint still bounds the log; the next tick tries again.
                    LogCheckpointFailed(logger, ex);
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Background checkpoint of the SQLite log failed; retrying")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception ex);
}
