using Microsoft.Extensions.DependencyInjection.Extensions;
using PbxHub.Accounts;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Storage;

namespace PbxHub.Calls;

/// <param name="Skipped">Raw events left alone, by the account they belong to, which this configuration does not declare.</param>
internal sealed record ReplaySummary(
    int RawEvents, int Calls, int Recovered, int StillQuarantined, int NewEvents, IReadOnlyDictionary<string, int> Skipped);

/// <summary>
/// Rebuilds the call records of every known account from the stored raw events, in one transaction.
/// Quarantined requests that parse now (after a fix) join their calls. Event ids are stable, so the
/// log gains only events that a fix made true. The calls of an account the configuration does not
/// declare (a shell without its variables, a removed account) are kept as they are: replay cannot
/// rebuild them, so it must not delete them (docs/replay.md).
/// </summary>
internal sealed class Replayer(HubStore store, AccountDirectory accounts, ProviderRegistry providers, CallRecords builder)
{
    public async Task<ReplaySummary> ReplayAsync(IProgress<int>? progress, CancellationToken ct)
    {
        var byId = (await accounts.ListAsync(ct)).ToDictionary(a => a.Id);
        await using var session = await store.BeginAsync(ct);
        var calls = new HashSet<(string Account, string CallKey)>();
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int raw = 0, recovered = 0, quarantined = 0;
        await foreach (var row in store.AllRawAsync(ct))
        {
            raw++;
            progress?.Report(raw);
            if (!byId.TryGetValue(row.Account, out var account))
            {
                // Not folded here: what is left to fold of it stays marked, for a hub that knows the account.
                skipped[row.Account] = skipped.GetValueOrDefault(row.Account) + 1;
                continue;
            }

            if (row.Kind == RawKinds.Quarantined)
            {
                if (providers.Get(account.Provider).ParseSafely(account, row.Request) is HookParse.Parsed parsed)
                {
                    await session.MarkParsedAsync(row.Seq, parsed.CallKey, ct);
                    calls.Add((row.Account, parsed.CallKey));
                    recovered++;
                }
                else
                {
                    quarantined++;
                }
            }
            else if (row.CallKey is not null)
            {
                calls.Add((row.Account, row.CallKey));
            }
        }

        await session.DeleteCallsAsync(byId.Keys, ct);
        var newEvents = 0;
        foreach (var (accountId, callKey) in calls)
        {
            newEvents += await builder.RebuildAsync(session, byId[accountId], callKey, ct);
        }

        await session.NoneLeftToFoldAsync(byId.Keys, ct);
        await session.CommitAsync(ct);
        return new ReplaySummary(raw, calls.Count, recovered, quarantined, newEvents, skipped);
    }
}

internal static class CallsServiceCollectionExtensions
{
    public static IServiceCollection AddCalls(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallsOptions>().Bind(configuration.GetSection(CallsOptions.Section)).ValidateAnnotations().ValidateOnStart();
        services.AddSingleton<CallRecords>();
        services.AddSingleton<FoldStage>();
        services.TryAddSingleton<FreshReads>();
        services.AddSingleton<Replayer>();
        services.AddSingleton<CallSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<CallSweeper>());
        return services;
    }
}
