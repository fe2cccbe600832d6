using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>One span as exported over OTLP: ids in hex, its name and its links.</summary>
internal sealed record ExportedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyList<(string TraceId, string SpanId)> Links);

/// <summary>
/// A stand-in for an OpenTelemetry collector: OTLP over HTTP (<c>POST /v1/traces</c>, protobuf
/// <c>ExportTraceServiceRequest</c>), reading the few fields of each span the tests look at.
/// </summary>
internal sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication app;

    private OtlpCollector(WebApplication app)
    {
        this.app = app;
        Url = TestKestrel.BaseUrl(app);
    }

    public string Url { get; }

    public ConcurrentQueue<ExportedSpan> Spans { get; } = new();

    public ConcurrentQueue<string> ServiceNames { get; } = new();

    public static async Task<OtlpCollector> StartAsync()
    {
        var app = TestKestrel.Create();
        OtlpCollector? collector = null;
        app.MapPost("/v1/traces", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            collector!.Read(buffer.ToArray());
            http.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        collector = new OtlpCollector(app);
        return collector;
    }

    // ExportTraceServiceRequest.resource_spans = 1; ResourceSpans.resource = 1, .scope_spans = 2; ScopeSpans.spans = 2;
    // Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, links = 13; Link: trace_id = 1, span_id = 2;
    // Resource.attributes = 1 (KeyValue: key = 1, value = 2 (AnyValue.string_value = 1)).
    private void Read(byte[] request)
    {
        foreach (var resourceSpans in Protobuf.Fields(request).Where(f => f.Number == 1))
        {
            foreach (var field in Protobuf.Fields(resourceSpans.Bytes))
            {
                if (field.Number == 1)
                {
                    foreach (var attribute in Protobuf.Fields(field.Bytes).Where(a => a.Number == 1))
                    {
                        var kv = Protobuf.Fields(attribute.Bytes).ToList();
                        if (kv.FirstOrDefault(f => f.Number == 1)?.Text == "service.name" && kv.FirstOrDefault(f => f.Number == 2) is { } value)
                        {
                            ServiceNames.Enqueue(Protobuf.Fields(value.Bytes).First().Text);
                        }
                    }
                }
                else if (field.Number == 2)
                {
                    foreach (var span in Protobuf.Fields(field.Bytes).Where(s => s.Number == 2))
                    {
                        Spans.Enqueue(ReadSpan(span.Bytes));
                    }
                }
            }
        }
    }

    private static ExportedSpan ReadSpan(byte[] span)
    {
        var fields = Protobuf.Fields(span).ToList();
        string Hex(int number) => Convert.ToHexStringLower(fields.FirstOrDefault(f => f.Number == number)?.Bytes ?? []);
        var links = fields.Where(f => f.Number == 13).Select(l =>
        {
            var linkFields = Protobuf.Fields(l.Bytes).ToList();
            return (Convert.ToHexStringLower(linkFields.First(f => f.Number == 1).Bytes), Convert.ToHexStringLower(linkFields.First(f => f.Number == 2).Bytes));
        }).ToList();
        return new ExportedSpan(Hex(1), Hex(2), Hex(4), fields.First(f => f.Number == 5).Text, links);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>The protobuf wire format, as far as reading length-delimited fields needs (others are skipped).</summary>
    private static class Protobuf
    {
        public sealed record Field(int Number, byte[] Bytes)
        {
            public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
        }

        public static IEnumerable<Field> Fields(byte[] message)
        {
            var at = 0;
            while (at < message.Length)
            {
                var key = Varint(message, ref at);
                var number = (int)(key >> 3);
                switch (key & 7)
                {
                    case 0: Varint(message, ref at); break;
                    case 1: at += 8; break;
                    case 5: at += 4; break;
                    case 2:
                        var length = (int)Varint(message, ref at);
                        yield return new Field(number, message[at..(at + length)]);
                        at += length;
                        break;
                    default: throw new InvalidDataException($"wire type {key & 7} at {at}");
                }
            }
        }

        private static ulong Varint(byte[] message, ref int at)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = message[at++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }
    }
}
