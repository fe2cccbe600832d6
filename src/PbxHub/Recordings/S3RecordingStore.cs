using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace PbxHub.Recordings;

/// <summary>
/// Recordings in S3-compatible object storage, so every node of a cluster serves every recording: a configurable
/// endpoint and path-style addressing make MinIO, Ceph and the clouds work alike (docs/recordings.md).
/// </summary>
internal sealed class S3RecordingStore : IRecordingStore, IDisposable
{
    private readonly AmazonS3Client client;
    private readonly S3Options options;

    public S3RecordingStore(S3Options options)
    {
        this.options = options;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // Only checksums every S3-compatible server understands.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    /// <summary>One signed request with the whole body: not every S3-compatible server decodes the SDK's chunked uploads.</summary>
    public async Task PutAsync(string key, string path, string contentType, CancellationToken ct) =>
        await client.PutObjectAsync(
            new PutObjectRequest { BucketName = options.Bucket, Key = options.Prefix + key, FilePath = path, ContentType = contentType, UseChunkEncoding = false }, ct);

    public async Task<Stream?> OpenAsync(string key, long offset, long length, CancellationToken ct)
    {
        if (length == 0)
        {
            return new MemoryStream([]);
        }

        try
        {
            var response = await client.GetObjectAsync(
                new GetObjectRequest { BucketName = options.Bucket, Key = options.Prefix + key, ByteRange = new ByteRange(offset, offset + length - 1) }, ct);
            return new LimitedStream(new ResponseStream(response), length);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<long?> LengthAsync(string key, CancellationToken ct)
    {
        try
        {
            return (await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = options.Bucket, Key = options.Prefix + key }, ct)).ContentLength;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct) =>
        await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.Bucket, Key = options.Prefix + key }, ct);

    public void Dispose() => client.Dispose();

    /// <summary>The object's body, disposing the response (and its connection) with it.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => response.ResponseStream.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            response.ResponseStream.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            response.ResponseStream.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
