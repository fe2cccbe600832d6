using System.Text.Json;
using Dapper;

namespace PbxHub.Storage;

internal sealed class SqlCallRequestStore(ISqlDatabase database) : ICallRequestStore
{
    /// <summary>Provider clocks and ours differ a little: a call may appear to start just before the request.</summary>
    private const long ClockSlackMs = 5_000;

    public async Task AddAsync(CallRequestRow row, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            """
            INSERT INTO call_requests (id, account, provider, kind, client, client_number, operators, requested_at, status, exchanges, problem)
            VALUES (@Id, @Account, @Provider, @Kind, @Client, @ClientNumber, @Operators, @RequestedAt, @Status, @Exchanges, @Problem)
            """,
            new
            {
                row.Id, row.Account, row.Provider, row.Kind, row.Client, row.ClientNumber,
                Operators = JsonSerializer.Serialize(row.Operators), RequestedAt = row.RequestedAt.ToUnixTimeMilliseconds(),
                row.Status, row.Exchanges, row.Problem,
            });
    }

    public async Task<IReadOnlyList<LinkedCallRequest>> ListAsync(string? account, int limit, TimeSpan linkWindow, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Id, string Account, string Provider, string Kind, string? Client, string? ClientNumber,
            string Operators, long RequestedAt, string Status, string Exchanges, string? Problem, string? CallId)>(
            """
            SELECT r.id, r.account, r.provider, r.kind, r.client, r.client_number, r.operators, r.requested_at, r.status, r.exchanges, r.problem,
                (SELECT c.id FROM call_parties p JOIN calls c ON c.id = p.call_id
                 WHERE r.status IN ('placed', 'uncertain')
                   AND p.role = 'party' AND p.value = r.client_number AND c.account = r.account
                   AND c.started_at BETWEEN r.requested_at - @slack AND r.requested_at + @window
                 ORDER BY c.started_at, c.id LIMIT 1) AS call_id
            FROM call_requests r
            WHERE (@account IS NULL OR r.account = @account)
            ORDER BY r.requested_at DESC, r.id DESC LIMIT @limit
            """,
            new { account, limit, slack = ClockSlackMs, window = (long)linkWindow.TotalMilliseconds });
        return rows.Select(r => new LinkedCallRequest(
            new CallRequestRow(
                r.Id, r.Account, r.Provider, r.Kind, r.Client, r.ClientNumber, JsonSerializer.Deserialize<string[]>(r.Operators) ?? [],
                DateTimeOffset.FromUnixTimeMilliseconds(r.RequestedAt), r.Status, r.Exchanges, r.Problem),
            r.CallId)).ToList();
    }

    public async Task AddMediaAsync(string id, string account, byte[] bytes, DateTimeOffset createdAt, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO outbound_media (id, account, bytes, created_at) VALUES (@id, @account, @bytes, @createdAt)",
            new { id, account, bytes, createdAt = createdAt.ToUnixTimeMilliseconds() });
    }

    public async Task<(string Account, byte[] Bytes)?> MediaAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Account, byte[] Bytes)?>(
            "SELECT account, bytes FROM outbound_media WHERE id = @id", new { id });
        return row;
    }
}
