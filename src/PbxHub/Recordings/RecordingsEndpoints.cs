using Microsoft.AspNetCore.Http.HttpResults;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Recordings;

/// <summary>A signed link to a call's recording and when it stops working.</summary>
internal sealed record RecordingLinkView(string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// <c>GET /api/v1/calls/{id}/recording</c> (the API key), <c>GET /api/v1/calls/{id}/recording/link</c> and the signed
/// <c>GET /recordings/{token}</c> it hands out (no key): PbxHub's own copy, never the provider's link (docs/recordings.md).
/// </summary>
internal static class RecordingsEndpoints
{
    public static RouteGroupBuilder MapRecordings(this RouteGroupBuilder api)
    {
        api.MapMethods("/calls/{id}/recording", [HttpMethods.Get, HttpMethods.Head], async Task<Results<RecordingResult, ProblemHttpResult>> (
            string id, string? format, ICallQueries queries, IRecordingStore store, Mp3Transcoder mp3, CancellationToken ct) =>
        {
            return await ServeAsync(await queries.GetAsync(id, ct), id, format, store, mp3, ct);
        }).WithTags("Recordings").WithName("GetCallRecording")
            .WithSummary("The call's recording as PbxHub keeps it (WAV or MP3), or as MP3 with format=mp3, with Range requests.")
            .Produces<Stream>(StatusCodes.Status200OK, "audio/wav", "audio/mpeg")
            .Produces<Stream>(StatusCodes.Status206PartialContent, "audio/wav", "audio/mpeg").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone).ProducesProblem(StatusCodes.Status416RangeNotSatisfiable)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status501NotImplemented);
        api.MapPost("/calls/{id}/recording/link", async Task<Results<Ok<RecordingLinkView>, ProblemHttpResult>> (
            string id, HttpRequest request, ICallQueries queries, RecordingLinks links, CancellationToken ct) =>
        {
            if (Problem(await queries.GetAsync(id, ct), id) is { } problem)
            {
                return problem;
            }

            var (path, expires) = links.Create(id);
            return TypedResults.Ok(new RecordingLinkView($"{request.Scheme}://{request.Host}{request.PathBase}{path}", expires));
        }).WithTags("Recordings").WithName("CreateRecordingLink")
            .WithSummary("A signed link to the call's recording that works without an API key until it expires (PbxHub:Recordings:LinkLifetime).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static WebApplication MapRecordingLinks(this WebApplication app)
    {
        app.MapMethods("/recordings/{token}", [HttpMethods.Get, HttpMethods.Head], async Task<Results<RecordingResult, ProblemHttpResult>> (
            string token, string? format, RecordingLinks links, ICallQueries queries, IRecordingStore store, Mp3Transcoder mp3, CancellationToken ct) =>
        {
            if (links.Read(token) is not { } id)
            {
                return TypedResults.Problem(statusCode: 403, title: "Invalid or expired link", detail: "Ask for a new link: POST /api/v1/calls/{id}/recording/link.");
            }

            return await ServeAsync(await queries.GetAsync(id, ct), id, format, store, mp3, ct);
        }).WithTags("Recordings").WithName("GetSignedRecording").ExcludeFromDescription();
        return app;
    }

    /// <summary>The kept file; with <c>format=mp3</c> a kept WAV is served as the MP3 encoded from it (a kept MP3 as it is).</summary>
    private static async Task<Results<RecordingResult, ProblemHttpResult>> ServeAsync(
        CallRecord? call, string id, string? format, IRecordingStore store, Mp3Transcoder mp3, CancellationToken ct)
    {
        if (format is not (null or "mp3"))
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown format", detail: $"format '{format}' is not offered: ask for format=mp3, or for no format to get the file as kept.");
        }

        if (Problem(call, id) is { } problem)
        {
            return problem;
        }

        var r = call!.Recording!;
        var key = RecordingKeys.For(call.Account, call.Id, r.ContentType!);
        if (format is null || r.ContentType == "audio/mpeg")
        {
            return new RecordingResult(store, key, r.ContentType!, r.Bytes ?? 0, r.Sha256!, key[(key.LastIndexOf('/') + 1)..]);
        }

        try
        {
            var (mp3Key, length) = await mp3.EnsureAsync(call.Account, call.Id, key, r.Bytes ?? 0, ct);
            // The MP3 is made from this WAV only: the WAV's SHA-256 names it as well as its own bytes would.
            return new RecordingResult(store, mp3Key, "audio/mpeg", length, r.Sha256! + ".mp3", mp3Key[(mp3Key.LastIndexOf('/') + 1)..]);
        }
        catch (TranscodeException ex)
        {
            return TypedResults.Problem(statusCode: ex.Status, title: ex.Title, detail: ex.Message);
        }
    }

    private static ProblemHttpResult? Problem(CallRecord? call, string id) => call switch
    {
        null => TypedResults.Problem(statusCode: 404, title: "Unknown call", detail: $"No call '{id}'."),
        { Recording: null } => TypedResults.Problem(statusCode: 404, title: "No recording", detail: "The provider has sent no recording link for this call."),
        { Recording.State: RecordingStates.Pending } => TypedResults.Problem(statusCode: 404, title: "Recording not kept yet", detail: "PbxHub has not fetched the recording yet (state pending)."),
        { Recording: { State: RecordingStates.Deleted } r } => TypedResults.Problem(statusCode: 410, title: "Recording deleted", detail: $"The recording was {r.Reason}."),
        { Recording: { State: RecordingStates.Failed } r } => TypedResults.Problem(statusCode: 404, title: "Recording not kept", detail: $"Fetching the recording failed: {r.Reason}"),
        _ => null,
    };
}
