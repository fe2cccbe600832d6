using Microsoft.Net.Http.Headers;

namespace PbxHub.Recordings;

/// <summary>
/// A kept recording as an HTTP answer, with single-range requests (players seek): 200 with the whole file, 206 with
/// <c>Content-Range</c>, 416 for a range past the end. The store serves the range, so a file and an S3 object give
/// the same answer byte for byte.
/// </summary>
internal sealed class RecordingResult(IRecordingStore store, string key, string contentType, long length, string sha256, string fileName) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = $"\"{sha256}\"";
        response.Headers.CacheControl = "private, max-age=86400";
        response.Headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
        var (from, to) = (0L, length - 1);
        var range = http.Request.Headers.Range.ToString();
        var partial = Applies(range) && IfRangeHolds(http.Request) && length > 0;
        if (partial)
        {
            if (Parse(range, length) is not { } r)
            {
                response.Headers.ContentRange = $"bytes */{length}";
                await Results.Problem(statusCode: 416, title: "Range not satisfiable", detail: $"The recording has {length} bytes.").ExecuteAsync(http);
                return;
            }

            (from, to) = r;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {from}-{to}/{length}";
        }

        var count = length == 0 ? 0 : to - from + 1;
        await using var body = await store.OpenAsync(key, from, count, http.RequestAborted);
        if (body is null)
        {
            await Results.Problem(statusCode: 404, title: "Recording missing", detail: "The recording is recorded as kept but its file is not in the store.").ExecuteAsync(http);
            return;
        }

        response.ContentType = contentType;
        response.ContentLength = count;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await body.CopyToAsync(response.Body, http.RequestAborted);
        }
    }

    /// <summary>A range answered only for the same file: an <c>If-Range</c> naming another version asks for all of it.</summary>
    private bool IfRangeHolds(HttpRequest request) =>
        request.Headers.IfRange.ToString() is not { Length: > 0 } ifRange || ifRange == $"\"{sha256}\"";

    /// <summary>A single byte range is answered; anything else (several ranges, other units) gets the whole file, as HTTP allows.</summary>
    internal static bool Applies(string header) =>
        RangeHeaderValue.TryParse(header, out var parsed) && parsed.Unit == "bytes" && parsed.Ranges.Count == 1;

    /// <summary>One range of <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c>; null when none of it lies in the file.</summary>
    internal static (long From, long To)? Parse(string header, long length)
    {
        if (!RangeHeaderValue.TryParse(header, out var parsed) || parsed.Unit != "bytes" || parsed.Ranges.Count != 1)
        {
            return null;
        }

        var r = parsed.Ranges.First();
        (long from, long to) = (r.From, r.To) switch
        {
            (null, { } suffix) => (Math.Max(0, length - suffix), length - 1),
            ({ } f, null) => (f, length - 1),
            ({ } f, { } t) => (f, Math.Min(t, length - 1)),
            _ => (-1, -1),
        };
        return from < 0 || from >= length || to < from ? null : (from, to);
    }
}
