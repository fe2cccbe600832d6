using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Bench.Journal;

/// <summary>One generated call as the hub stores it: the record, its JSON and its search-index entries.</summary>
internal sealed record StoredCall(CallRecord Record, string Json, IReadOnlyList<(string Value, string Role)> Parties, string PartiesHash, string? Caller);

/// <summary>
/// A year of calls of four accounts, in the order they started: 65 % inbound (30 % of them missed, so
/// ~20 % of all calls), 30 % outbound, 5 % internal; client numbers drawn from a pool of about one number
/// per 30 calls, so a number finds tens of calls and most missed calls are returned later. Deterministic
/// for a seed. Made in stages so one run can measure at several sizes: stage s holds the calls whose rank
/// (i·φ mod 1, a low-discrepancy sequence: evenly spread over the year) falls between the previous
/// checkpoint's fraction of the count and this one's, and draws its clients from its own slice of each
/// account's pool, so at every checkpoint a number still finds ~30 calls.
/// </summary>
internal sealed class CallGenerator
{
    private const double GoldenFraction = 0.6180339887498949;

    private static readonly (string Id, string Provider, double Share, string Country)[] Accounts =
    [
        ("acme", "sipuni", 0.40, "RU"), ("north", "hooktype", 0.25, "RU"), ("south", "uis", 0.20, "RU"), ("kyiv", "evrotel", 0.15, "UA"),
    ];

    /// <summary>The accounts the calls belong to: the API names them all when it looks for returned missed calls.</summary>
    public static IReadOnlyList<string> AccountIds { get; } = Accounts.Select(a => a.Id).ToList();

    private readonly int seed;
    private readonly double[] fractions;
    private readonly long[] starts;
    private readonly string[][] clients;
    private readonly DateTimeOffset updatedAt;

    /// <param name="checkpoints">Counts at which a stage ends, ascending, below <paramref name="count"/>; none: one stage.</param>
    public CallGenerator(int count, int seed, DateTimeOffset end, IReadOnlyList<int>? checkpoints = null)
    {
        this.seed = seed;
        fractions = [.. (checkpoints ?? []).Select(c => (double)c / count), 1.0];
        var random = new Random(seed);
        updatedAt = end;
        var first = end.AddDays(-365).ToUnixTimeMilliseconds();
        starts = new long[count];
        for (var i = 0; i < count; i++)
        {
            // Most calls in office hours (06:00–16:00 UTC, 09:00–19:00 Moscow), the rest at any time.
            var day = random.Next(365) * 86_400_000L;
            var inDay = random.NextDouble() < 0.85 ? 21_600_000L + (long)(random.NextDouble() * 36_000_000) : (long)(random.NextDouble() * 86_400_000);
            starts[i] = first + day + inDay;
        }

        Array.Sort(starts);
        clients = Accounts.Select(a => Enumerable.Range(0, Math.Max(1, (int)(count * a.Share / 30)))
            .Select(_ => a.Country == "UA" ? "+380" + random.NextInt64(500_000_000, 999_999_999) : "+79" + random.NextInt64(100_000_000, 999_999_999))
            .ToArray()).ToArray();
        StageCounts = [.. Enumerable.Range(0, fractions.Length).Select(s => Enumerable.Range(0, count).Count(i => Stage(i) == s + 1))];
    }

    /// <summary>How many calls each stage adds.</summary>
    public IReadOnlyList<int> StageCounts { get; }

    public DateTimeOffset First => DateTimeOffset.FromUnixTimeMilliseconds(starts[0]);

    public DateTimeOffset Last => DateTimeOffset.FromUnixTimeMilliseconds(starts[^1]);

    /// <summary>A client number of the part of the pool stages 1 … <paramref name="stage"/> drew from, for the by-number query.</summary>
    public string AnyClient(Random r, int stage)
    {
        var a = r.Next(clients.Length);
        return clients[a][r.Next(PoolEnd(clients[a].Length, stage))];
    }

    /// <summary>The calls of a stage (1-based) in start order; made on all cores (each call from its own seeded random), handed out in order.</summary>
    public IEnumerable<StoredCall> Calls(int stage) =>
        Enumerable.Range(0, starts.Length)
            .Where(i => Stage(i) == stage)
            .AsParallel().AsOrdered()
            .Select(i =>
            {
                var call = Next(i, DateTimeOffset.FromUnixTimeMilliseconds(starts[i]), new Random(unchecked((seed * 397) ^ (i * 7919))));
                var parties = CallPartyIndex.Of(call).ToList();
                return new StoredCall(call, CallJson.Serialize(call), parties, CallPartyIndex.Hash(parties), call.From?.Number ?? call.From?.Raw);
            });

    private int Stage(int i)
    {
        var rank = i * GoldenFraction % 1.0;
        var s = 0;
        while (s < fractions.Length - 1 && rank >= fractions[s])
        {
            s++;
        }

        return s + 1;
    }

    private int PoolEnd(int length, int stage) => Math.Clamp((int)(length * fractions[stage - 1]), 1, length);

    private string ClientOf(int i, Random random, int a)
    {
        var stage = Stage(i);
        var end = PoolEnd(clients[a].Length, stage);
        var start = stage == 1 ? 0 : PoolEnd(clients[a].Length, stage - 1);
        return clients[a][start < end ? random.Next(start, end) : random.Next(end)];
    }

    private CallRecord Next(int i, DateTimeOffset start, Random random)
    {
        var a = PickAccount(random);
        var (account, provider, _, _) = Accounts[a];
        var client = Client(ClientOf(i, random, a));
        var line = Client(a == 3 ? "+380441234567" : "+7495123456" + a);
        var op = Operator(random.Next(101, 131));
        var roll = random.NextDouble();
        var direction = roll < 0.65 ? Directions.Inbound : roll < 0.95 ? Directions.Outbound : Directions.Internal;
        var outcome = direction switch
        {
            Directions.Inbound => random.NextDouble() < 0.30 ? Outcomes.Missed : Outcomes.Answered,
            Directions.Outbound => random.NextDouble() is var o && o < 0.60 ? Outcomes.Answered : o < 0.75 ? Outcomes.Busy : Outcomes.NoAnswer,
            _ => random.NextDouble() < 0.8 ? Outcomes.Answered : Outcomes.NoAnswer,
        };
        var answered = outcome == Outcomes.Answered;
        var wait = random.Next(2, 40);
        var talk = answered ? random.Next(5, 900) : 0;
        var answeredAt = answered ? start.AddSeconds(wait) : (DateTimeOffset?)null;
        var endedAt = start.AddSeconds(wait + talk);
        var (from, to) = direction switch
        {
            Directions.Inbound => (client, line),
            Directions.Outbound => (op, client),
            _ => (op, Operator(random.Next(101, 131))),
        };
        var legs = new List<Leg> { new(direction == Directions.Inbound ? op : to, start, answeredAt, endedAt, outcome) };
        if (direction == Directions.Inbound && !answered && random.NextDouble() < 0.5)
        {
            legs.Add(new Leg(Operator(random.Next(101, 131)), start, null, endedAt, Outcomes.NoAnswer));
        }

        var transfers = answered && direction == Directions.Inbound && random.NextDouble() < 0.03
            ? new List<Transfer> { new(op, Operator(random.Next(101, 131)), start.AddSeconds(wait + talk / 2)) }
            : [];
        return new CallRecord
        {
            Id = StableIds.CallId(account, $"{start.ToUnixTimeSeconds()}.{i}"),
            Account = account,
            Provider = provider,
            ProviderCallId = $"{start.ToUnixTimeSeconds()}.{i}",
            Direction = direction,
            From = from,
            To = to,
            Line = direction == Directions.Inbound ? line : null,
            State = CallStates.Ended,
            Outcome = outcome,
            StartedAt = start,
            AnsweredAt = answeredAt,
            EndedAt = endedAt,
            WaitSeconds = wait,
            TalkSeconds = talk,
            AnsweredBy = answered ? legs[0].Party : null,
            EndedWith = answered ? legs[0].Party : null,
            Legs = legs,
            Transfers = transfers,
            RecordingUrl = answered ? $"https://records.example/{account}/{i}.mp3" : null,
            UpdatedAt = updatedAt,
        };
    }

    private static int PickAccount(Random random)
    {
        var roll = random.NextDouble();
        for (var a = 0; a < Accounts.Length - 1; a++)
        {
            roll -= Accounts[a].Share;
            if (roll < 0)
            {
                return a;
            }
        }

        return Accounts.Length - 1;
    }

    /// <summary>As providers send them: the number without its plus; PbxHub adds the E.164 form.</summary>
    private static Party Client(string e164) => new(e164.TrimStart('+'), e164, null);

    private static Party Operator(int extension) => new(extension.ToString(System.Globalization.CultureInfo.InvariantCulture), null, extension.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
