namespace PbxHub.Simulation;

/// <summary>How a request carries its fields: the query string (GET), a form body or a JSON object.</summary>
internal enum HookBody
{
    Query,
    Form,
    Json,
}

/// <summary>
/// One hook request as the provider would send it: its fields in the query (GET), a form body or a JSON body.
/// A request can depend on the reply to an earlier request of its call (Evrotel's end carries the id the hub
/// answered to the start): its field values then hold <see cref="Reply"/> placeholders, filled in when it is sent.
/// </summary>
internal sealed record HookRequest(string Method, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public HookBody Body { get; init; } = Method == "GET" ? HookBody.Query : HookBody.Form;

    /// <summary>JSON only: the fields written as JSON numbers (the digits of the value), not strings.</summary>
    public IReadOnlyList<string> JsonNumbers { get; init; } = [];

    /// <summary>JSON only: fields written as <c>null</c>; a form or query leaves them out, as <c>http_build_query</c> does.</summary>
    public IReadOnlyList<string> JsonNulls { get; init; } = [];

    /// <summary>The name this request's reply body is remembered under, for later requests of the call (and to check a retry gets the same).</summary>
    public string? RepliesAs { get; init; }

    /// <summary>The reply this request needs: it must be sent after a request that <see cref="RepliesAs"/> that name.</summary>
    public string? Needs { get; init; }

    /// <summary>
    /// Whether the provider sends this request when the call or one of its legs hangs up: what <c>--lose-mode hangups</c>
    /// drops. The provider's script says so (docs/simulate.md), the runner never guesses it from the fields.
    /// </summary>
    public bool HangUp { get; init; }

    public string Encoded => string.Join('&', Fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    public string ContentType => Body == HookBody.Json ? "application/json" : "application/x-www-form-urlencoded";

    /// <summary>The body as sent (empty for a GET, whose fields are <see cref="Encoded"/> in the query).</summary>
    public string Text => Body switch
    {
        HookBody.Query => "",
        HookBody.Form => Encoded,
        _ => JsonText(),
    };

    public string? Get(string name) => Fields.FirstOrDefault(f => f.Key == name).Value;

    /// <summary>The placeholder a field value holds for the reply remembered under <paramref name="name"/>.</summary>
    public static string Reply(string name) => "{reply:" + name + "}";

    /// <summary>This request with the placeholders of <see cref="Needs"/> replaced by the reply.</summary>
    public HookRequest WithReply(string reply) => Needs is null
        ? this
        : this with { Fields = [.. Fields.Select(f => KeyValuePair.Create(f.Key, f.Value.Replace(Reply(Needs), reply, StringComparison.Ordinal)))], Needs = null };

    private string JsonText()
    {
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var (name, value) in Fields)
            {
                if (JsonNumbers.Contains(name) && value.Length > 0 && value.All(char.IsAsciiDigit))
                {
                    json.WritePropertyName(name);
                    json.WriteRawValue(value);
                }
                else
                {
                    json.WriteString(name, value);
                }
            }

            foreach (var name in JsonNulls)
            {
                json.WriteNull(name);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>
/// A generated call: the requests in the order the provider emits them, and the record they must yield.
/// When the provider's call id is the hub's reply to one of the requests (Evrotel), <see cref="ProviderCallId"/>
/// is that reply's <see cref="HookRequest.Reply"/> placeholder until <see cref="Resolve"/> fills it in.
/// </summary>
internal sealed record SimulatedCall(string Scenario, string ProviderCallId, IReadOnlyList<HookRequest> Requests, ExpectedCall Expected)
{
    /// <summary>The name of the reply that is the provider call id, or null when the generator chose the id.</summary>
    public string? IdFromReply { get; init; }

    /// <summary>
    /// The call as the provider's own history keeps it (what <c>--history</c> posts to the stand-in); null for a provider
    /// whose history PbxHub does not read. The generator writes it with the requests, so both tell one story.
    /// </summary>
    public Emulators.HistoryCall? History { get; init; }

    /// <summary>The call with its provider call id taken from the replies its requests got (unchanged when the reply is missing).</summary>
    public SimulatedCall Resolve(IReadOnlyDictionary<string, string> replies) =>
        IdFromReply is { } name && replies.TryGetValue(name, out var id) ? this with { ProviderCallId = id, IdFromReply = null } : this;
}

/// <summary>One request to deliver; <paramref name="Twice"/> repeats it, as providers retry after a slow answer.</summary>
internal sealed record Delivery(HookRequest Request, bool Twice);

/// <summary>A call with its requests in delivery order (shuffled or not), the repeats decided, and what <c>--lose</c> took away.</summary>
internal sealed record PlannedCall(SimulatedCall Call, IReadOnlyList<Delivery> Deliveries)
{
    public int RequestCount => Deliveries.Sum(d => d.Twice ? 2 : 1);

    /// <summary>What <c>--lose</c> did to the call (docs/simulate.md).</summary>
    public CallLoss Loss { get; init; }

    /// <summary>The requests not sent on purpose, each repeat counted: with <see cref="RequestCount"/>, all the call would have sent.</summary>
    public int Dropped { get; init; }
}
