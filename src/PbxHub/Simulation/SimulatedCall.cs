namespace PbxHub.Simulation;

/// <summary>One hook request as the provider would send it: the same fields go in the query (GET) or a form body (POST).</summary>
internal sealed record HookRequest(string Method, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public string Encoded => string.Join('&', Fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    public string? Get(string name) => Fields.FirstOrDefault(f => f.Key == name).Value;
}

/// <summary>A generated call: the requests in the order the provider emits them, and the record they must yield.</summary>
internal sealed record SimulatedCall(string Scenario, string ProviderCallId, IReadOnlyList<HookRequest> Requests, ExpectedCall Expected);

/// <summary>One request to deliver; <paramref name="Twice"/> repeats it, as providers retry after a slow answer.</summary>
internal sealed record Delivery(HookRequest Request, bool Twice);

/// <summary>A call with its requests in delivery order (shuffled or not) and the repeats decided.</summary>
internal sealed record PlannedCall(SimulatedCall Call, IReadOnlyList<Delivery> Deliveries)
{
    public int RequestCount => Deliveries.Sum(d => d.Twice ? 2 : 1);
}
