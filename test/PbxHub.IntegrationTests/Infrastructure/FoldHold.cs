using System.Data.Common;
using Dapper;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>
/// PostgreSQL: holds the event log's advisory lock on a connection of its own, as another node's long transaction on the
/// event log would. A fold that adds events takes that lock at its commit (acknowledgements never do), so hooks are
/// acknowledged meanwhile while their folds wait until <see cref="ReleaseAsync"/>.
/// </summary>
internal sealed class FoldHold : IAsyncDisposable
{
    private const long EventLogLock = 5792324323354214402;
    private bool held = true;

    private FoldHold(DbConnection connection) => Connection = connection;

    /// <summary>The holder's own connection to the hub's database.</summary>
    public DbConnection Connection { get; }

    public static async Task<FoldHold> StartAsync(HubServer hub)
    {
        var connection = await TestStorage.OpenAsync(hub.DataDirectory);
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = EventLogLock });
        return new FoldHold(connection);
    }

    /// <summary>Until a session of the hub waits for an advisory lock: a fold stuck at its commit.</summary>
    public async Task FoldWaitingAsync()
    {
        for (var tries = 0; tries < 300; tries++)
        {
            if (await Connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Assert.Fail("no fold waited for the event log");
    }

    public async Task ReleaseAsync()
    {
        if (held)
        {
            held = false;
            await Connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = EventLogLock });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        await Connection.DisposeAsync();
    }
}
