using System.Text;
using CsCheck;
using PbxHub.Tests.Fuzzing;

namespace PbxHub.IntegrationTests.Fuzzing;

/// <summary>One request to the public API.</summary>
internal sealed record ApiRequest(string Method, string Path, string? ContentType, byte[]? Body, string Story)
{
    public override string ToString() =>
        $"{Method} {(Path.Length > 400 ? Path[..400] + "…" : Path)} [{ContentType}] {Body?.Length ?? 0} bytes ({Story})";
}

/// <summary>
/// Hostile inputs for every <c>/api/v1</c> endpoint: query parameters and path ids from the hostile values (and some
/// valid ones), repeated; JSON bodies from valid examples mutated as the hook payloads are. Every URL a subscription
/// or an account could be given points at a loopback port nobody listens on.
/// </summary>
internal static class ApiRequests
{
    private static readonly string[] JournalParameters = ["account", "since", "until", "number", "direction", "outcome", "state", "answeredBy", "cursor", "limit"];

    private static readonly string[] ValidValues =
    [
        "demo", "ev", "inbound", "missed", "ended", "2024-01-01T00:00:00Z", "2024-01-01", "79031234567", "101", "10", "1000",
        "true", "day", "hour", "party", "Europe/Moscow", "MTcwMDAwMDAwMDAwMHx4", "call.started", "3600", "01:00:00", "5",
        "semicolon", "comma", "text", "plain",
    ];

    private static readonly Gen<string> Value = Gen.Frequency(
        (3, HostileValues.Any.Select(v => v.Text)), (2, Gen.OneOfConst(ValidValues)));

    private static Gen<string> Query(params string[] names) =>
        Gen.Select(Gen.Frequency((6, Gen.OneOfConst(names)), (1, Value)), Value).Array[0, 5]
            .Select(pairs => pairs.Length == 0 ? "" : "?" + string.Join("&", pairs.Select(p => HostileRequests.EscapeData(p.Item1) + "=" + HostileRequests.EscapeData(p.Item2))));

    private static Gen<string> Id(string? real) =>
        real is null ? Value.Select(Segment) : Gen.Frequency((1, Gen.Const(real)), (2, Value.Select(Segment)));

    /// <summary>A path segment: escaped, and never empty or a dot segment (those name another route, not a hostile id).</summary>
    private static string Segment(string text)
    {
        // Kestrel refuses a NUL in the path itself (400, before the hub): not the hub's input.
        var escaped = HostileRequests.EscapeData(text.Replace('\0', '0'));
        return escaped is { Length: > 0 } and not "." and not ".." ? escaped : "x" + escaped;
    }

    private static Gen<ApiRequest> Get(string path, Gen<string> query) => query.Select(q => new ApiRequest("GET", path + q, null, null, "query"));

    private static Gen<ApiRequest> Body(string method, Gen<string> path, Seed seed) =>
        Gen.Select(path, HostileRequests.Mutated(seed)).Select((p, h) =>
            new ApiRequest(method, p + (h.Query.Length > 0 ? "?" + h.Query : ""), h.ContentType, h.Body, h.Story));

    private static readonly Seed Subscription = RealPayloads.ApiBody("subscription",
        """{"url":"http://127.0.0.1:9/hook","eventTypes":["call.started","call.ended"],"accounts":["demo"],"enabled":true,"description":"CRM"}""");

    private static readonly Seed PlaceCall = RealPayloads.ApiBody("call", """{"account":"ev","operator":"101","client":"0987858227","options":{}}""");

    private static readonly Seed PlaceUisCall = RealPayloads.ApiBody("uis call", """{"account":"uis","operator":["101","102"],"client":"79031234567"}""");

    public static readonly Seed Account = RealPayloads.ApiBody("account",
        """{"id":"acme","provider":"sipuni","secret":"acme-secret-123","timeZone":"Europe/Moscow","country":"RU","settings":{"Sipuni:UserNumber":"012345"}}""");

    public static readonly Seed EvrotelAccount = RealPayloads.ApiBody("evrotel account",
        """{"id":"kyiv","provider":"evrotel","timeZone":"Europe/Kyiv","country":"UA","settings":{"Evrotel:Token":"t0k3n-t0k3n","Evrotel:BaseUrl":"http://127.0.0.1:9"}}""");

    /// <summary>Every endpoint but accounts (whose fuzzing gets a hub of its own: a created account must never be dialled through).</summary>
    public static Gen<ApiRequest> All(string subscription)
    {
        var sub = $"/api/v1/subscriptions/{subscription}";
        return Gen.OneOf(
            Get("/api/v1/calls", Query(JournalParameters)),
            Get("/api/v1/calls/missed", Query([.. JournalParameters, "unreturned"])),
            Get("/api/v1/calls.csv", Query([.. JournalParameters, "delimiter", "timeZone", "numbers"])),
            Get("/api/v1/stats", Query([.. JournalParameters, "by", "timeZone"])),
            Gen.Select(Id(null), Gen.Bool).Select((id, timeline) => new ApiRequest("GET", $"/api/v1/calls/{id}{(timeline ? "/timeline" : "")}", null, null, "call id")),
            Get("/api/v1/calls/requests", Query("account", "limit")),
            Get("/api/v1/stream", Query("account", "type", "lastEventId")),
            Body("POST", Gen.Const("/api/v1/subscriptions"), Subscription),
            Body("PATCH", Id(subscription).Select(id => $"/api/v1/subscriptions/{id}"), Subscription),
            Id(null).Select(id => new ApiRequest("DELETE", $"/api/v1/subscriptions/{id}", null, null, "subscription id")),
            Gen.Select(Id(subscription), Query("before", "limit")).Select((id, q) => new ApiRequest("GET", $"/api/v1/subscriptions/{id}/deliveries{q}", null, null, "deliveries")),
            Gen.Select(Id(subscription), Value).Select((id, d) => new ApiRequest("POST", $"/api/v1/subscriptions/{id}/deliveries/{Segment(d)}/resend", null, null, "resend")),
            Gen.Select(Id(subscription), Query("since")).Select((id, q) => new ApiRequest("POST", $"/api/v1/subscriptions/{id}/recover{q}", null, null, "recover")),
            Gen.Select(Id(subscription), Query("grace")).Select((id, q) => new ApiRequest("POST", $"/api/v1/subscriptions/{id}/rotate-secret{q}", null, null, "rotate")),
            Gen.Const(new ApiRequest("POST", $"{sub}/test", null, null, "test event to a loopback subscriber")),
            Body("POST", Gen.Const("/api/v1/calls"), PlaceCall),
            Body("POST", Gen.Const("/api/v1/calls"), PlaceUisCall),
            Autodial);
    }

    public static Gen<ApiRequest> Accounts() => Gen.OneOf(
        Body("POST", Gen.Const("/api/v1/accounts"), Account),
        Body("POST", Gen.Const("/api/v1/accounts"), EvrotelAccount),
        Id(null).Select(id => new ApiRequest("DELETE", $"/api/v1/accounts/{id}", null, null, "account id")),
        Gen.Const(new ApiRequest("GET", "/api/v1/accounts", null, null, "list")));

    /// <summary>A multipart form (account, channels, a WAV or a media id) with hostile values, maybe broken as a body.</summary>
    private static readonly Gen<ApiRequest> Autodial =
        from account in Gen.Frequency((3, Gen.Const("ev")), (1, Value))
        from channels in Gen.Frequency((2, Gen.Const("2")), (1, Value))
        from wav in Gen.Frequency((2, Gen.Const(Wav(8000, 1, 16))), (1, Gen.Const(Wav(44100, 2, 16))), (1, Gen.Byte.Array[0, 300]))
        from media in Gen.Frequency((4, Gen.Bool.Select(_ => (string?)null)), (1, Value.Select(v => (string?)v)))
        from body in HostileRequests.BodyOp
        from type in Gen.Frequency((4, Gen.Const("multipart/form-data; boundary=b0und")), (1, Gen.OneOfConst("multipart/form-data", "application/x-www-form-urlencoded", "multipart/form-data; boundary=\"\"", "application/json")))
        select new ApiRequest("POST", "/api/v1/autodial", type, body.Apply(Multipart(account, channels, wav, media)), $"autodial, body {body.Story}");

    private static byte[] Multipart(string account, string channels, byte[] wav, string? media)
    {
        static byte[] Part(string name, string? fileName, byte[] content) =>
            [.. Encoding.UTF8.GetBytes($"--b0und\r\nContent-Disposition: form-data; name=\"{name}\"{(fileName is null ? "" : $"; filename=\"{fileName}\"")}\r\n\r\n"), .. content, .. "\r\n"u8];

        return [.. Part("account", null, Encoding.UTF8.GetBytes(account)), .. Part("channels", null, Encoding.UTF8.GetBytes(channels)),
            .. media is null ? Part("file", "hello.wav", wav) : Part("media", null, Encoding.UTF8.GetBytes(media)), .. "--b0und--\r\n"u8];
    }

    /// <summary>A short silent PCM WAV.</summary>
    private static byte[] Wav(int rate, short channels, short bits)
    {
        var data = new byte[1600];
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8);
        w.Write(36 + data.Length);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write(channels);
        w.Write(rate);
        w.Write(rate * channels * bits / 8);
        w.Write((short)(channels * bits / 8));
        w.Write(bits);
        w.Write("data"u8);
        w.Write(data.Length);
        w.Write(data);
        w.Flush();
        return stream.ToArray();
    }
}
