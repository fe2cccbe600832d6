using System.Diagnostics;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Bench.Journal;

/// <summary>One query of <c>GET /api/v1/calls</c>, its parameters drawn afresh for each run.</summary>
internal sealed record JournalQuery(string Name, Func<Random, CallQuery> Make);

internal sealed record JournalTiming(string Name, double P50, double P95, double Max, double AverageRows);

/// <summary>The journal's queries, timed through the hub's own <see cref="ICallQueries"/> (SQL, reading and JSON of each page).</summary>
internal static class JournalQueries
{
    private const int PageSize = 100;

    public static IReadOnlyList<JournalQuery> All(CallGenerator calls, int stage)
    {
        var first = calls.First;
        var days = Math.Max(1, (int)(calls.Last - first).TotalDays - 7);
        DateTimeOffset Day(Random r) => new DateTimeOffset(first.UtcDateTime.Date, TimeSpan.Zero).AddDays(1 + r.Next(days));
        var empty = new CallQuery(null, null, null, null, null, null, null, null, null, PageSize);
        return
        [
            new("first page", _ => empty),
            new("second page", _ => empty with { After = (calls.Last.AddHours(-3), "call_") }),
            new("by number", r => empty with { NumberForms = Forms(calls.AnyClient(r, stage)) }),
            new("one day", r => Day(r) is var d ? empty with { Since = d, Until = d.AddDays(1) } : empty),
            new("one week", r => Day(r) is var d ? empty with { Since = d, Until = d.AddDays(7) } : empty),
            new("missed unreturned", _ => empty with { Outcome = Outcomes.Missed, Direction = Directions.Inbound, Unreturned = true, ReturnAccounts = CallGenerator.AccountIds }),
        ];
    }

    /// <summary>What the API searches for a number typed as a client would (national form), for accounts in RU and UA.</summary>
    private static List<string> Forms(string e164)
    {
        var typed = e164.StartsWith("+7", StringComparison.Ordinal) ? "8" + e164[2..] : "0" + e164[4..];
        return new[] { "RU", "UA" }.SelectMany(country => CallPartyIndex.FormsOfQuery(typed, country)).Distinct().ToList();
    }

    public static async Task<JournalTiming> TimeAsync(ICallQueries queries, JournalQuery query, int runs, int warmup, int seed)
    {
        var random = new Random(seed);
        var millis = new double[runs];
        long rows = 0;
        for (var i = -warmup; i < runs; i++)
        {
            var q = query.Make(random);
            var clock = Stopwatch.StartNew();
            var page = await queries.ListAsync(q, CancellationToken.None);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            if (i >= 0)
            {
                millis[i] = elapsed;
                rows += page.Count;
            }
        }

        Array.Sort(millis);
        double At(double p) => millis[Math.Clamp((int)Math.Ceiling(p * runs) - 1, 0, runs - 1)];
        return new JournalTiming(query.Name, At(0.50), At(0.95), millis[^1], (double)rows / runs);
    }
}
