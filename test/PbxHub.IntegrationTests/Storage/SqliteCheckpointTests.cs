using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>
/// docs/storage.md, "Checkpoints": while the hub runs, what it writes reaches the database file itself within a
/// moment, copied from the write-ahead log beside the writer, not only when the log has grown to the writer's backstop.
/// </summary>
public sealed class SqliteCheckpointTests
{
    [SqliteFact]
    public async Task Checkpointer_HooksAcknowledged_CopiedIntoTheDatabaseFileWithinSeconds()
    {
        await using var hub = await HubServer.StartAsync();
        var file = new FileInfo(Path.Combine(hub.DataDirectory, "pbxhub.db"));
        var log = new FileInfo(file.FullName + "-wal");
        var before = Length(file);

        var start = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        for (var i = 0; i < 300; i++)
        {
            var answer = await hub.Client.GetAsync($"{hub.HookPath}?{SipuniHooks.Arrival($"cp-{i}", $"7903{i:0000000}", "74951234567", start)}");
            answer.EnsureSuccessStatusCode();
        }

        // Far below the writer's own threshold (10 000 pages of log): only the background checkpoint copies them now.
        Assert.True(Length(log) < 10_000 * 4096, $"the log holds {Length(log)} bytes");
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (Length(file) <= before && waiting.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        Assert.True(Length(file) > before, $"the database file stayed at {before} bytes while {Length(log)} bytes waited in the log");
    }

    private static long Length(FileInfo file)
    {
        file.Refresh();
        return file.Exists ? file.Length : 0;
    }
}
