using System.Data.Common;

namespace PbxHub.Storage;

/// <summary>
/// A write transaction an engine lends to a <see cref="WriteSession"/>: the connection, its open transaction, the
/// statements prepared on that connection, and how to give it back (SQLite: to the next writer in the queue;
/// PostgreSQL: to the pool).
/// </summary>
internal sealed class WriteLease(DbConnection connection, DbTransaction transaction, StatementCache statements, Func<ValueTask> release)
    : IAsyncDisposable
{
    public DbConnection Connection => connection;

    public DbTransaction Transaction => transaction;

    /// <summary>The statement for <paramref name="sql"/> with <paramref name="values"/> bound in order (<c>@p0</c>, <c>@p1</c>, …).</summary>
    public DbCommand Statement(string sql, params object?[] values)
    {
        var command = statements.Get(connection, sql, values.Length);
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        // Rolls back what was not committed.
        await transaction.DisposeAsync();
        await release();
    }
}

/// <summary>
/// Statements prepared once per connection and reused: on the ingest path, compiling SQL again for each row costs more
/// than running it. SQLite's writer keeps one cache for its one long-lived connection; PostgreSQL's connections come
/// from the pool, where Npgsql prepares the statements it sees often on the server (docs/storage.md).
/// </summary>
internal sealed class StatementCache
{
    private readonly Dictionary<(string Sql, int Parameters), DbCommand> commands = [];

    public static string Parameter(int index) => "@p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public DbCommand Get(DbConnection connection, string sql, int parameters)
    {
        if (!commands.TryGetValue((sql, parameters), out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < parameters; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = Parameter(i);
                command.Parameters.Add(parameter);
            }

            commands[(sql, parameters)] = command;
        }

        return command;
    }

    /// <summary>A VALUES list of <paramref name="rows"/> rows of <paramref name="columns"/> parameters, numbered from 0.</summary>
    public static string Values(int rows, int columns) =>
        string.Join(", ", Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Enumerable.Range(r * columns, columns).Select(Parameter)) + ")"));
}
