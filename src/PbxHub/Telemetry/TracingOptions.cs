using System.ComponentModel.DataAnnotations;

namespace PbxHub.Telemetry;

/// <summary>
/// <c>PbxHub:Tracing</c>: OpenTelemetry tracing over OTLP (docs/tracing.md). Off unless <see cref="OtlpEndpoint"/> is set.
/// </summary>
internal sealed class TracingOptions : IValidatableObject
{
    public const string Section = "PbxHub:Tracing";

    /// <summary>The collector, e.g. <c>http://localhost:4318</c> (HTTP) or <c>http://localhost:4317</c> (gRPC). Absent: tracing off.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>http/protobuf</c> (default) or <c>grpc</c>.</summary>
    public string OtlpProtocol { get; set; } = "http/protobuf";

    /// <summary>The <c>service.name</c> the spans carry.</summary>
    [Required]
    public string ServiceName { get; set; } = "pbxhub";

    /// <summary>Share of traces kept, from 0 to 1 (default all).</summary>
    [Range(0.0, 1.0)]
    public double SampleRatio { get; set; } = 1.0;

    public bool Enabled => !string.IsNullOrWhiteSpace(OtlpEndpoint);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return new ValidationResult($"{Section}:OtlpEndpoint must be an absolute http(s) URL, not '{OtlpEndpoint}'.", [nameof(OtlpEndpoint)]);
        }

        if (OtlpProtocol is not ("http/protobuf" or "grpc"))
        {
            yield return new ValidationResult($"{Section}:OtlpProtocol must be http/protobuf or grpc, not '{OtlpProtocol}'.", [nameof(OtlpProtocol)]);
        }
    }
}
