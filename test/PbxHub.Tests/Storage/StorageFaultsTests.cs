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
}
