using Dapper;

namespace PbxHub.Storage;

/// <summary>
/// The write path's store, the same on both engines (docs/storage.md, "The write path"): write sessions, the raw log
/// for replay, what is left to fold, and the jobs one node runs at a time. The engine lends connections and its
/// dialect through <see cref="ISqlDatabase"/>; nothing here knows which engine it is.
/// </summary>
internal sealed class HubStore(ISqlDatabase database, TimeProvider time, EventLogSignal eventLog)
{
    public Task MigrateAsync(CancellationToken ct) => database.MigrateAsync(ct);

    /// <summary>Several nodes write to this store (PostgreSQL): another node's unfinished work may be left to this one.</summary>
    public bool SharedByNodes => !database.Dialect.SingleWriterNode;

    /// <param name="recomputable">See <see cref="ISqlDatabase.BeginWriteAsync"/>.</param>
    public async Task<WriteSession> BeginAsync(CancellationToken ct, bool recomputable = false) =>
        new(await database.BeginWriteAsync(recomputable, ct), database.Dialect, time, eventLog);

    /// <summary>Every raw event in the order received (for replay).</summary>
    public IAsyncEnumerable<RawRow> AllRawAsync(CancellationToken ct) => SqlHubReads.AllRawAsync(database, ct);

    public Task<bool> IsReadyAsync(CancellationToken ct) => database.IsMigratedAsync(ct);

    /// <summary>Makes this node the one that runs <paramref name="job"/> (the sweeper) until the result is disposed; null when another node runs it now.</summary>
    public Task<IAsyncDisposable?> TryLeadAsync(string job, CancellationToken ct) => database.TryLeadAsync(job, ct);

    /// <summary>
    /// The calls with raw events stored but not folded into their record, each with its last position, oldest first:
    /// what a crash (of this node or another) left. The one recovery mechanism of both engines: the raw events'
    /// transaction marks the call, the fold's transaction clears the mark (docs/storage.md, "Crash guarantees").
    /// </summary>
    public async Task<IReadOnlyList<(string Account, string CallKey, long Seq)>> LeftToFoldAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<(string, string, long)>("SELECT account, call_key, max_seq FROM fold_pending ORDER BY max_seq")).ToList();
    }
}
