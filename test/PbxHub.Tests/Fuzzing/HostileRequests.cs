using System.Text;
using CsCheck;
using PbxHub.Providers;

namespace PbxHub.Tests.Fuzzing;

/// <summary>A hook request as it goes on the wire; <paramref name="Story"/> says how it was made from a real payload.</summary>
internal sealed record HostileRequest(string Method, string? ContentType, string Query, byte[] Body, string Story)
{
    public override string ToString() =>
        $"{Story} => {Method} ?{Clip(Query)} [{ContentType ?? "no content type"}] {Body.Length} bytes: {Clip(Encoding.Latin1.GetString(Body))}";

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + $"…(+{text.Length - 300})";
}

/// <summary>
/// Real payloads made hostile: fields given other types, huge or almost-right values, duplicated, dropped or renamed;
/// then encoded oddly (double percent-encoding, '+' for space, Latin-1, no escaping), sent as form where JSON is
/// expected and back, the body truncated, transcoded, salted with invalid UTF-8 or NUL, nested deep, or replaced by
/// random bytes; with the wrong method or content type.
/// </summary>
internal static class HostileRequests
{
    private static readonly string?[] ContentTypes =
    [
        null, "application/json", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-16",
        "application/x-www-form-urlencoded; charset=windows-1251", "multipart/form-data; boundary=zzz", "application/octet-stream",
    ];

    private static readonly byte[][] BadBytes =
    [
        [0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xF0, 0x90, 0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x00], [0xFE, 0xFF], [0x80, 0x80, 0x80],
    ];

    public static Gen<HostileRequest> For(string provider) => From(RealPayloads.For(provider));

    /// <summary>Hostile versions of a registered provider's example hooks (a made-up one's too).</summary>
    public static Gen<HostileRequest> For(ProviderDescriptor provider) => From(RealPayloads.For(provider));

    private static Gen<HostileRequest> From(IReadOnlyList<Seed> seeds) => Gen.Frequency(
        (19, Gen.OneOfConst([.. seeds]).SelectMany(Mutated)),
        (1, Noise));

    /// <summary>No payload at all: random text for a query, random bytes for a body.</summary>
    private static readonly Gen<HostileRequest> Noise =
        Gen.Select(Gen.OneOfConst("GET", "POST"), Gen.OneOfConst(ContentTypes), Gen.String, Gen.Byte.Array[0, 4_000])
            .Select((method, type, query, body) => new HostileRequest(method, type, EscapeData(query), body, "noise"));

    /// <summary>The seed's fields mutated and put on the wire (its own or another), maybe with another method or content type.</summary>
    internal static Gen<HostileRequest> Mutated(Seed seed) =>
        from ops in FieldOp.Array[0, 3]
        from wire in Gen.Frequency((4, Gen.Const(seed.Wire)), (1, Gen.OneOfConst(Wire.Query, Wire.Form, Wire.Json)))
        from escaping in Gen.Frequency((4, Gen.Const(Escaping.Standard)), (1, Gen.OneOfConst(Enum.GetValues<Escaping>())))
        from body in BodyOp
        from method in Gen.Frequency((4, Gen.Const(seed.Wire == Wire.Query ? "GET" : "POST")), (1, Gen.OneOfConst("GET", "POST")))
        from contentType in Gen.Frequency((3, Gen.Const(Natural(wire))), (1, Gen.OneOfConst(ContentTypes)))
        select Build(seed, ops, wire, escaping, body, method, contentType);

    private static HostileRequest Build(
        Seed seed, (string Story, Func<List<Field>, List<Field>> Apply)[] ops, Wire wire, Escaping escaping,
        (string Story, Func<byte[], byte[]> Apply) body, string method, string? contentType)
    {
        var fields = ops.Aggregate(seed.Fields.ToList(), (f, op) => op.Apply(f));
        var text = wire == Wire.Json ? Json(fields) : Form(fields, escaping);
        var query = wire == Wire.Query ? text : "";
        var bytes = wire == Wire.Query ? [] : body.Apply(escaping == Escaping.Latin1 ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text));
        var story = $"{seed.Name} [{string.Join("; ", ops.Select(o => o.Story))}] as {wire}/{escaping}, body {body.Story}";
        return new HostileRequest(method, contentType, query, bytes, story);
    }

    private static string? Natural(Wire wire) => wire switch
    {
        Wire.Json => "application/json",
        Wire.Form => "application/x-www-form-urlencoded",
        _ => null,
    };

    private static readonly Gen<(string Story, Func<List<Field>, List<Field>> Apply)> FieldOp = Gen.OneOf(
        Gen.Select(Gen.Int[0, 99], HostileValues.Any).Select((i, v) => Op($"field #{i} := {v.Kind}", f => f.Count == 0 ? f : Replace(f, i % f.Count, v))),
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 99], HostileValues.Any).Select((i, at, v) => Op($"field #{i} repeated at {at} as {v.Kind}", f =>
            f.Count == 0 ? f : Insert(f, at % (f.Count + 1), new Field(f[i % f.Count].Name, v.Text, v.RawJson)))),
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 99]).Select((i, at) => Op($"field #{i} repeated verbatim at {at}", f =>
            f.Count == 0 ? f : Insert(f, at % (f.Count + 1), f[i % f.Count]))),
        Gen.Int[0, 99].Select(i => Op($"field #{i} dropped", f => f.Count == 0 ? f : f.Where((_, j) => j != i % f.Count).ToList())),
        Gen.Select(Gen.Int[0, 99], Gen.Bool).Select((i, upper) => Op($"field #{i} renamed {(upper ? "UPPER" : "lower")}", f =>
            f.Count == 0 ? f : Replace(f, i % f.Count, f[i % f.Count] with { Name = upper ? f[i % f.Count].Name.ToUpperInvariant() : f[i % f.Count].Name.ToLowerInvariant() }))),
        Gen.Select(HostileValues.Any, HostileValues.Any).Select((name, v) => Op($"unknown field {name.Kind} := {v.Kind}", f => [.. f, new Field(name.Text, v.Text, v.RawJson)])));

    private static (string, Func<List<Field>, List<Field>>) Op(string story, Func<List<Field>, List<Field>> apply) => (story, apply);

    private static List<Field> Replace(List<Field> fields, int index, HostileValue value) =>
        Replace(fields, index, fields[index] with { Value = value.Text, RawJson = value.RawJson });

    private static List<Field> Replace(List<Field> fields, int index, Field field) => fields.Select((f, j) => j == index ? field : f).ToList();

    private static List<Field> Insert(List<Field> fields, int index, Field field)
    {
        var copy = fields.ToList();
        copy.Insert(index, field);
        return copy;
    }

    internal static readonly Gen<(string Story, Func<byte[], byte[]> Apply)> BodyOp = Gen.Frequency(
        (12, Gen.Const(Body("as rendered", b => b))),
        (2, Gen.Double[0, 1].Select(p => Body($"truncated at {p:P0}", b => b[..(int)(b.Length * p)]))),
        (1, Gen.Const(Body("with a BOM", b => [.. Encoding.UTF8.Preamble, .. b]))),
        (1, Gen.Bool.Select(bom => Body($"as UTF-16{(bom ? " with BOM" : "")}", b => [.. bom ? Encoding.Unicode.Preamble : [], .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(b))]))),
        (2, Gen.Select(Gen.Double[0, 1], Gen.OneOfConst(BadBytes)).Select((p, bad) => Body($"with {Convert.ToHexString(bad)} at {p:P0}", b =>
            [.. b[..(int)(b.Length * p)], .. bad, .. b[(int)(b.Length * p)..]]))),
        (1, Gen.Byte.Array[0, 2_000].Select(random => Body($"replaced by {random.Length} random bytes", _ => random))),
        (1, Gen.Const(Body("emptied", _ => []))),
        (1, Gen.Int[30, 10_000].Select(n => Body($"wrapped in {n} arrays", b => [.. Enumerable.Repeat((byte)'[', n), .. b, .. Enumerable.Repeat((byte)']', n)]))),
        (1, Gen.Const(Body("sent twice in one", b => [.. b, .. b]))));

    private static (string, Func<byte[], byte[]>) Body(string story, Func<byte[], byte[]> apply) => (story, apply);

    private enum Escaping
    {
        Standard,
        PlusForSpace,
        Double,
        None,
        Latin1,
    }

    private static string Form(IEnumerable<Field> fields, Escaping escaping) =>
        string.Join("&", fields.Select(f => Escape(f.Name, escaping) + "=" + Escape(f.Value, escaping)));

    private static string Escape(string text, Escaping escaping) => escaping switch
    {
        Escaping.PlusForSpace => EscapeData(text).Replace("%20", "+", StringComparison.Ordinal),
        Escaping.Double => EscapeData(EscapeData(text)),
        Escaping.None => text,
        Escaping.Latin1 => string.Concat(Encoding.Latin1.GetBytes(text).Select(b => char.IsAsciiLetterOrDigit((char)b) ? ((char)b).ToString() : $"%{b:X2}")),
        _ => EscapeData(text),
    };

    /// <summary>Uri.EscapeDataString, except that a lone surrogate (which it refuses) goes as its replacement character's bytes.</summary>
    internal static string EscapeData(string text) =>
        string.Concat(Encoding.UTF8.GetBytes(text).Select(b => char.IsAsciiLetterOrDigit((char)b) || "-_.~".Contains((char)b) ? ((char)b).ToString() : $"%{b:X2}"));

    /// <summary>A JSON object written by hand, so that repeated names and raw fragments go out exactly as generated.</summary>
    private static string Json(IEnumerable<Field> fields) =>
        "{" + string.Join(",", fields.Select(f => JsonString(f.Name) + ":" + (f.RawJson ? f.Value : JsonString(f.Value)))) + "}";

    private static string JsonString(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            json.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < ' ' || char.IsSurrogate(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return json.Append('"').ToString();
    }
}
