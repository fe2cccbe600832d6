using System.Data.Common;
using Dapper;
using PbxHub.Storage;

namespace PbxHub.Security;

/// <summary>
/// Encrypts the secrets an earlier version stored in clear. It runs after the migrations, at every start and in
/// <c>pbxhub migrate</c>: nodes of the earlier version may still write clear rows during a rolling upgrade.
/// Idempotent: only values without <see cref="SecretProtector.Prefix"/> are rewritten, each only if unchanged meanwhile.
/// </summary>
internal sealed partial class PlainSecretsUpgrade(ISqlDatabase database, SecretProtector protector, ILogger<PlainSecretsUpgrade> logger)
{
    private static readonly (string Table, string Column)[] Columns =
    [
        ("accounts", "secret"), ("accounts", "settings"), ("subscriptions", "secret"), ("subscriptions", "previous_secret"),
    ];

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var encrypted = 0;
        try
        {
            foreach (var (table, column) in Columns)
            {
                encrypted += await EncryptColumnAsync(table, column, ct);
            }
        }
        catch (DbException ex)
        {
            // Not migrated yet (PbxHub:Storage:MigrateOnStart=false before `pbxhub migrate`): reads accept clear values.
            LogNotDone(logger, ex.Message);
            return encrypted;
        }

        if (encrypted > 0)
        {
            LogEncrypted(logger, encrypted);
        }

        return encrypted;
    }

    private async Task<int> EncryptColumnAsync(string table, string column, CancellationToken ct)
    {
        List<(string Id, string Value)> plain;
        await using (var connection = await database.OpenAsync(ct))
        {
            var rows = await connection.QueryAsync<(string Id, string Value)>($"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL");
            plain = rows.Where(r => !SecretProtector.IsProtected(r.Value)).ToList();
        }

        var done = 0;
        foreach (var (id, value) in plain)
        {
            done += await database.WriteAsync(
                (c, tx) => c.ExecuteAsync(
                    $"UPDATE {table} SET {column} = @encrypted WHERE id = @id AND {column} = @value",
                    new { id, value, encrypted = protector.Protect(value) },
                    tx),
                ct);
        }

        return done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted {Count} secrets that an earlier version had stored in clear")]
    private static partial void LogEncrypted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secrets stored in clear were not encrypted yet: {Reason}. They are read as they are and encrypted at the next start after `pbxhub migrate`.")]
    private static partial void LogNotDone(ILogger logger, string reason);
}
