using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace PbxHub.Bench.Targets;

/// <summary>
/// What durability itself costs: the hub's hook routes, its group commit (one writer, every queued request in one
/// transaction, each answered after the commit), SQLite in WAL with <c>synchronous=FULL</c>, and one raw insert per
/// request with a unique dedupe key — nothing else (no account, no parsing, no fold, no outbox). The hub's ingest is
/// measured against it (<c>durable</c> verb), so a run shows how close the hub comes to the floor of its own design.
/// </summary>
internal sealed class BareReceiver : IAsyncDisposable
{
    private const int MaxBatch = 1000;
    private static readonly byte[] Success = """{"success": true}"""u8.ToArray();

    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000) { SingleReader = true });
    private readonly SqliteConnection connection;
    private readonly WebApplication app;
    private readonly Task writer;
    private long stored;

    private BareReceiver(string databasePath, string url)
    {
        connection = new SqliteConnection($"Data Source={databasePath};Pooling=false");
        connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; " +
            "CREATE TABLE IF NOT EXISTS raw_events (seq INTEGER PRIMARY KEY, account TEXT NOT NULL, dedupe_key TEXT NOT NULL UNIQUE, " +
            "received_at INTEGER NOT NULL, method TEXT NOT NULL, content_type TEXT, query TEXT NOT NULL, body BLOB NOT NULL)");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        app = builder.Build();
        app.MapMethods("/hooks/{accountId}/{secret}", ["GET", "POST"], ReceiveAsync);
        app.MapPost("/hooks/{accountId}", ReceiveAsync);
        app.MapGet("/readyz", () => Results.Ok(new { status = "ready" }));
        app.MapGet("/stored", () => Results.Ok(new { stored = Interlocked.Read(ref stored) }));
        writer = Task.Run(WriteLoopAsync);
    }

    /// <summary><c>serve-bare --data DIR --urls URL</c>: the receiver as its own process, until SIGTERM.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var data = Argument(args, "--data") ?? Path.GetTempPath();
        Directory.CreateDirectory(data);
        await using var receiver = new BareReceiver(Path.Combine(data, "bare.db"), Argument(args, "--urls") ?? "http://127.0.0.1:5098");
        await receiver.app.StartAsync();
        await receiver.app.WaitForShutdownAsync();
        return 0;
    }

    private static string? Argument(string[] args, string name) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private async Task ReceiveAsync(HttpContext http, string accountId)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        var query = http.Request.QueryString.Value ?? "";
        var bytes = body.ToArray();
        var pending = new Pending(accountId, http.Request.Method, http.Request.ContentType, query, bytes, DedupeKey(accountId, query, bytes),
            new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(pending, http.RequestAborted);
        var seq = await pending.Done.Task;
        http.Response.ContentType = "application/json";
        // Evrotel's start is answered with the id of its call; the others with the success object.
        await http.Response.Body.WriteAsync(http.Request.RouteValues.ContainsKey("secret") ? Success : Encoding.ASCII.GetBytes(seq.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static string DedupeKey(string account, string query, byte[] body)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(account + "\n" + query + "\n").Concat(body).ToArray());
        return Convert.ToHexString(hash);
    }

    private async Task WriteLoopAsync()
    {
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO raw_events (account, dedupe_key, received_at, method, content_type, query, body) " +
            "VALUES ($a, $k, $t, $m, $c, $q, $b) ON CONFLICT (dedupe_key) DO NOTHING RETURNING seq";
        var parameters = new[] { "$a", "$k", "$t", "$m", "$c", "$q", "$b" }.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        var batch = new List<Pending>(MaxBatch);
        var seqs = new long[MaxBatch];
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            using (var transaction = connection.BeginTransaction())
            {
                insert.Transaction = transaction;
                for (var i = 0; i < batch.Count; i++)
                {
                    var p = batch[i];
                    object?[] values = [p.Account, p.DedupeKey, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), p.Method, p.ContentType, p.Query, p.Body];
                    for (var v = 0; v < values.Length; v++)
                    {
                        parameters[v].Value = values[v] ?? DBNull.Value;
                    }

                    seqs[i] = insert.ExecuteScalar() is long seq ? seq : 0;
                }

                transaction.Commit();
            }

            Interlocked.Add(ref stored, seqs.Take(batch.Count).Count(s => s > 0));
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(seqs[i]);
            }

            batch.Clear();
        }
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
        await app.DisposeAsync();
        connection.Dispose();
    }

    private sealed record Pending(string Account, string Method, string? ContentType, string Query, byte[] Body, string DedupeKey, TaskCompletionSource<long> Done);
}
