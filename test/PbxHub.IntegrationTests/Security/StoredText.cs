using System.Data.Common;
using System.Text;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Security;

/// <summary>What an attacker with a copy of the database reads: every value of every table, and SQLite's files byte for byte.</summary>
internal static class StoredText
{
    /// <summary>Every column of every row of every table, as text (binary columns decoded as UTF-8).</summary>
    public static async Task<string> AllColumnsAsync(string dataDirectory)
    {
        await using var connection = await TestStorage.OpenAsync(dataDirectory);
        var tables = await ListAsync(connection, TestStorage.IsPostgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table'");
        Assert.Contains("accounts", tables);
        Assert.Contains("subscriptions", tables);
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    text.Append(table).Append('.').Append(reader.GetName(i)).Append('=')
                        .Append(value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture))
                        .Append('\n');
                }
            }
        }

        return text.ToString();
    }

    /// <summary>SQLite's database file and its write-ahead log as they are on disk (empty on PostgreSQL).</summary>
    public static string SqliteFileBytes(string dataDirectory)
    {
        if (TestStorage.IsPostgres)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(dataDirectory, "pbxhub.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            text.Append(Encoding.Latin1.GetString(copy.ToArray()));
        }

        Assert.True(text.Length > 0, "the SQLite files were read");
        return text.ToString();
    }

    public static void AssertAbsent(string stored, IEnumerable<string> secrets, string where)
    {
        foreach (var secret in secrets)
        {
            Assert.False(stored.Contains(secret, StringComparison.Ordinal), $"'{secret}' is in clear in {where}");
        }
    }

    private static async Task<List<string>> ListAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
