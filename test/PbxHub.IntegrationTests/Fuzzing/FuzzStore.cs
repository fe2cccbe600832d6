using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Fuzzing;

/// <summary>The raw log as stored, read straight from the hub's database (either engine), bodies as bytes.</summary>
internal static class FuzzStore
{
    public sealed record Row(string Account, string Kind, string DedupeKey, string Method, string Query, byte[] Body);

    public static async Task<IReadOnlyList<Row>> RawEventsAsync(string dataDirectory)
    {
        await using var connection = await TestStorage.OpenAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT account, kind, dedupe_key, method, query, body FROM raw_events ORDER BY seq";
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), (byte[])reader.GetValue(5)));
        }

        return rows;
    }
}
