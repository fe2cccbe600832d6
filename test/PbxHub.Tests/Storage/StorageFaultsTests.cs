using Microsoft.Data.Sqlite;
using Npgsql;
using PbxHub.Storage;

namespace PbxHub.Tests.Storage;

/// <summary>Which database errors make the node "cannot store" (503, not ready) and which are the request's own.</summary>
public sealed class StorageFaultsTests
{
    [Theory]
    [InlineData("08006", true)]  // connection failure
    [InlineData("57P01", true)]  // admin shutdown
    [InlineData("57014", true)]  // statement timeout
    [InlineData("53100", true)]  // disk full
    [InlineData("58030", true)]  // I/O error
    [InlineData("25006", true)]  // read-only standby after a fail-over
    [InlineData("22021", false)] // a NUL byte in a text value
    [InlineData("23505", false)] // unique violation
    [InlineData("42P01", false)] // a table the statement names is missing
    public void IsStorageFault_PostgresState_OnlyTheServersOwn(string state, bool fault) =>
        Assert.Equal(fault, StorageFaults.IsStorageFault(new PostgresException("x", "ERROR", "ERROR", state)));

    [Theory]
    [InlineData(13, true)]   // SQLITE_FULL
    [InlineData(10, true)]   // SQLITE_IOERR
    [InlineData(5, true)]    // SQLITE_BUSY
    [InlineData(266, true)]  // SQLITE_IOERR_READ (extended)
    [InlineData(19, false)]  // SQLITE_CONSTRAINT
    [InlineData(1, false)]   // SQLITE_ERROR (the statement)
    public void IsStorageFault_SqliteCode_OnlyTheFilesOwn(int code, bool fault) =>
        Assert.Equal(fault, StorageFaults.IsStorageFault(new SqliteException("x", code)));

    [Fact]
    public void IsStorageFault_ConnectionBrokeOrWrapped_Fault()
    {
        Assert.True(StorageFaults.IsStorageFault(new NpgsqlException("connection refused")));
        Assert.True(StorageFaults.IsStorageFault(new InvalidOperationException("wrapped", new SqliteException("x", 13))));
        Assert.False(StorageFaults.IsStorageFault(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void Succeeded_WriteBeganBeforeTheFailure_EpisodeGoesOnUntilAWriteBegunAfterIt()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var log = new Logs();
        var faults = new StorageFaults(time, log);
        var began = faults.Now;
        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.True(faults.Absorb(new PostgresException("x", "FATAL", "FATAL", "57P01"), "folding calls"));

        // A hook batch under way when the server began shutting down still committed.
        faults.Succeeded(began);
        Assert.True(faults.IsFaulted);
        Assert.True(faults.Absorb(new PostgresException("x", "FATAL", "FATAL", "57P03"), "storing hooks"));
        time.Advance(TimeSpan.FromSeconds(1));
        faults.Succeeded(faults.Now);

        Assert.False(faults.IsFaulted);
        Assert.Equal(["Storage fault (folding calls)", "Storage fault over"], log.Lines.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]));
    }

    private sealed class Logs : Microsoft.Extensions.Logging.ILogger<StorageFaults>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
