using Npgsql;
using PbxHub.Storage.Postgres;

namespace PbxHub.Tests.Storage;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void WithPreparedStatements_NotSet_PreparesTheHubsStatementsAndKeepsTheRest()
    {
        var result = new NpgsqlConnectionStringBuilder(
            PostgresDatabase.WithPreparedStatements("Host=db.internal;Database=pbxhub;Username=hub;Password=p;Maximum Pool Size=30"));

        Assert.Equal(PostgresDatabase.DefaultMaxAutoPrepare, result.MaxAutoPrepare);
        Assert.Equal(("db.internal", "pbxhub", "hub", "p", 30), (result.Host, result.Database, result.Username, result.Password, result.MaxPoolSize));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)] // PgBouncer in transaction mode before 1.21
    [InlineData("Host=db;max auto prepare=10", 10)]
    [InlineData("Host=db;MaxAutoPrepare=200", 200)]
    public void WithPreparedStatements_SetByTheOperator_Kept(string connectionString, int expected)
    {
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresDatabase.WithPreparedStatements(connectionString)).MaxAutoPrepare);
    }
}
