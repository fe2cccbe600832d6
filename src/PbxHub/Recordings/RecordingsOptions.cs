using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace PbxHub.Recordings;

/// <summary>Fetching, keeping and serving calls' recordings (<c>PbxHub:Recordings</c>; docs/recordings.md).</summary>
internal sealed class RecordingsOptions : IValidatableObject
{
    public const string Section = "PbxHub:Recordings";

    /// <summary>Fetch and keep recordings at all (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>files</c> (default: under the data folder) or <c>s3</c> (object storage shared by several nodes).</summary>
    [RegularExpression("^(files|s3)$", ErrorMessage = "PbxHub:Recordings:Store must be 'files' or 's3'.")]
    public string Store { get; set; } = "files";

    /// <summary>The folder of <c>files</c>; default <c>recordings</c> under the data folder.</summary>
    public string? Folder { get; set; }

    /// <summary>A recording larger than this is refused (default 200 MiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>One download, from the request to the last byte, must end within this time (default 5 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a node holds a recording it fetches before another node may take it over (default 10 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "1.00:00:00")]
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The waits after each failed attempt, comma-separated; after the last one the recording has failed.</summary>
    public string Retries { get; set; } = "00:01:00, 00:05:00, 00:30:00, 02:00:00, 06:00:00, 1.00:00:00";

    /// <summary>How often the fetcher looks for new links and due attempts (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Downloads at once on one node (default 4).</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>How long a signed <c>/recordings/{token}</c> link works (default 1 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The MP3 encoder: ffmpeg's path, or its name looked up on <c>PATH</c> (default <c>ffmpeg</c>).</summary>
    public string Encoder { get; set; } = "ffmpeg";

    /// <summary>The MP3's constant bit rate, as ffmpeg writes it (default <c>64k</c>: telephone speech needs no more).</summary>
    [RegularExpression("^[0-9]{1,3}k$", ErrorMessage = "PbxHub:Recordings:Mp3BitRate must be a bit rate such as 64k.")]
    public string Mp3BitRate { get; set; } = "64k";

    public S3Options S3 { get; set; } = new();

    public IReadOnlyList<TimeSpan> RetryDelays => ParseRetries(Retries) ?? [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ParseRetries(Retries) is null)
        {
            yield return new ValidationResult($"{Section}:Retries: '{Retries}' is not a comma-separated list of times such as 00:01:00, 00:05:00.", [nameof(Retries)]);
        }

        if (ClaimFor <= FetchTimeout)
        {
            yield return new ValidationResult($"{Section}:ClaimFor must be longer than {Section}:FetchTimeout: another node would fetch a recording still being fetched.", [nameof(ClaimFor)]);
        }

        if (Store == "s3" && (string.IsNullOrWhiteSpace(S3.Bucket) || string.IsNullOrWhiteSpace(S3.AccessKey) || string.IsNullOrWhiteSpace(S3.SecretKey)))
        {
            yield return new ValidationResult($"{Section}:Store=s3 needs {Section}:S3:Bucket, S3:AccessKey and S3:SecretKey.", [nameof(S3)]);
        }

        if (S3.ServiceUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            yield return new ValidationResult($"{Section}:S3:ServiceUrl '{url}' is not an absolute URL.", [nameof(S3)]);
        }
    }

    private static List<TimeSpan>? ParseRetries(string text)
    {
        var list = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var delay) || delay < TimeSpan.Zero)
            {
                return null;
            }

            list.Add(delay);
        }

        return list;
    }
}

/// <summary>S3-compatible object storage (<c>PbxHub:Recordings:S3</c>): AWS, MinIO, Ceph, the clouds.</summary>
internal sealed class S3Options
{
    /// <summary>The endpoint, e.g. <c>https://minio.example.com:9000</c>; empty: AWS by <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Addresses the bucket in the path rather than the host name, as MinIO and Ceph usually need (default true).</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Prepended to every object's key, e.g. <c>pbxhub/</c>.</summary>
    public string Prefix { get; set; } = "";
}
