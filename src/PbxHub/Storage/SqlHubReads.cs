using System.Runtime.CompilerServices;
using Dapper;

namespace PbxHub.Storage;

/// <summary>The reads of <see cref="HubStore"/> that are the same SQL on both engines.</summary>
internal static class SqlHubReads
{
    /// <summary>Replay's delete of the records of one account (<c>@p0</c>) that it rebuilds, in its transaction.</summary>
    public static readonly string[] DeleteCallsOfAccount =
    [
        "DELETE FROM call_parties WHERE call_id IN (SELECT id FROM calls WHERE account = @p0)",
        "DELETE FROM answered_numbers WHERE account = @p0",
        "DELETE FROM calls WHERE account = @p0",
    ];

    public static async IAsyncEnumerable<RawRow> AllRawAsync(ISqlDatabase database, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        long after = 0;
        while (true)
        {
            List<RawRow> page;
            await using (var reader = await connection.ExecuteReaderAsync($"{RawRowData.Select} WHERE seq > @after ORDER BY seq LIMIT 1000", new { after }))
            {
                page = await RawRowData.ReadAllAsync(reader, ct);
            }

            foreach (var row in page)
            {
                yield return row;
            }

            if (page.Count < 1000)
            {
                yield break;
            }

            after = page[^1].Seq;
        }
    }

    public static async Task<IReadOnlyList<(string Account, string CallKey)>> OpenCallsIdleSinceAsync(
        ISqlDatabase database, IReadOnlyCollection<string> accounts, DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string, string)>(
            $"""
            SELECT account, provider_call_id FROM calls
            WHERE state <> 'ended' AND last_received_at < @before AND {database.Dialect.InList("account", "@accounts")} LIMIT @limit
            """,
            new { before = before.ToUnixTimeMilliseconds(), accounts = accounts.ToArray(), limit });
        return rows.ToList();
    }
}
