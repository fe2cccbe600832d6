using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PbxHub.IntegrationTests.Infrastructure;

internal static class AttemptWrites
{
    /// <summary>
    /// Holds a lock that stops the hub from writing attempts until disposed: SQLite's write lock, or on PostgreSQL a
    /// lock on the attempt log (claims, which write the deliveries table, go on).
    /// </summary>
    public static async Task<IAsyncDisposable> BlockAsync(string dataDirectory)
    {
        var connection = await TestStorage.OpenAsync(dataDirectory);
        if (connection is SqliteConnection sqlite)
        {
            // IMMEDIATE: SQLite's one write lock, taken at once.
            return new Block(connection, sqlite.BeginTransaction(deferred: false));
        }

        var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "LOCK TABLE delivery_attempts IN EXCLUSIVE MODE";
        await command.ExecuteNonQueryAsync();
        return new Block(connection, transaction);
    }

    private sealed class Block(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        }
    }
}
