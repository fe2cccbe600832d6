using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Providers;
using PbxHub.Providers.Evrotel;
using PbxHub.Storage;

namespace PbxHub.Api;

/// <summary>
/// <c>POST /autodial</c> (multipart form: <c>account</c>, <c>channels</c>, and <c>file</c>, a WAV, or
/// <c>media</c>, the id of one uploaded before). The WAV must be mono, 16-bit PCM, 8000 Hz; PbxHub
/// keeps it and serves it at <c>/media/{id}.wav</c> (unguessable, unauthenticated) for the provider to fetch.
/// </summary>
internal static partial class AutodialEndpoints
{
    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial System.Text.RegularExpressions.Regex MediaId();

    public static RouteGroupBuilder MapAutodial(this RouteGroupBuilder api)
    {
        api.MapPost("/autodial", AutodialAsync).WithTags("Outbound").WithName("Autodial").DisableAntiforgery()
            .Accepts<IFormCollection>("multipart/form-data").Produces<AutodialRequestView>().DescribeOutboundAnswers()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    /// <summary>The media the providers fetch: outside the API key's reach, found only by its random id.</summary>
    public static WebApplication MapOutboundMedia(this WebApplication app)
    {
        app.MapGet("/media/{id}.wav", async (string id, ICallRequestStore store, CancellationToken ct) =>
            MediaId().IsMatch(id) && await store.MediaAsync(id, ct) is { } media
                ? Results.File(media.Bytes, "audio/wav")
                : Results.NotFound()).WithTags("Outbound").ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<JsonHttpResult<AutodialRequestView>, ValidationProblem, ProviderProblem, ProblemHttpResult>> AutodialAsync(
        HttpRequest request, AccountDirectory accounts, OutboundRegistry outbound, OutboundAnswers answers, ICallRequestStore store,
        IOptions<OutboundOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: 415, title: "Send a multipart form",
                detail: "POST /autodial takes multipart/form-data: account, channels, and file (a WAV) or media (an earlier upload's id).");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // No boundary, a part cut short, a form over the size limits: what the form reader refuses.
            return TypedResults.Problem(statusCode: 400, title: "Unreadable multipart form", detail: ex.Message);
        }

        var errors = new Dictionary<string, string[]>();
        var accountId = form["account"].ToString() is { Length: > 0 } a ? a : null;
        if (accountId is null)
        {
            errors[".account"] = ["account is required"];
        }

        var channels = 1;
        if (form["channels"].ToString() is { Length: > 0 } c && (!int.TryParse(c, CultureInfo.InvariantCulture, out channels) || channels < 1))
        {
            errors[".channels"] = ["channels must be a whole number of at least 1 (how many calls at once)"];
        }

        var (account, problem) = await PlaceCallsEndpoints.FindAsync(accountId, accounts, outbound, errors, ct, autodial: true);
        if (problem is not null)
        {
            return problem;
        }

        var mediaId = await MediaAsync(form, account, store, options.Value, time, errors, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(PlaceCallsEndpoints.Named(errors), title: "Invalid autodial request", detail: "Nothing was sent to the provider.");
        }

        var baseUrl = options.Value.PublicBaseUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
        var fileName = mediaId + ".wav";
        var url = $"{baseUrl.TrimEnd('/')}/media/{fileName}";
        var outcome = await outbound.Find(account!.Provider)!.AutodialAsync(account, new AutodialInput(url, fileName, channels), ct);
        var media = new AutodialMedia(mediaId!, url);
        return await answers.RecordAsync(account, "autodial", null, [], outcome, view => new AutodialRequestView(view, media), ct);
    }

    /// <summary>The uploaded WAV, checked and stored, or the earlier upload named by <c>media</c>; its id.</summary>
    private static async Task<string?> MediaAsync(
        IFormCollection form, Account? account, ICallRequestStore store, OutboundOptions options, TimeProvider time,
        Dictionary<string, string[]> errors, CancellationToken ct)
    {
        var file = form.Files["file"];
        var reference = form["media"].ToString();
        if ((file is null) == (reference.Length == 0))
        {
            errors[".file"] = ["send either file (a WAV: mono, 16-bit PCM, 8000 Hz) or media (the id of an earlier upload)"];
            return null;
        }

        if (file is null)
        {
            if (!MediaId().IsMatch(reference) || account is null || await store.MediaAsync(reference, ct) is not { } earlier || earlier.Account != account.Id)
            {
                errors[".media"] = [$"no media '{reference}' uploaded for this account"];
                return null;
            }

            return reference;
        }

        if (file.Length > options.MaxMediaBytes)
        {
            errors[".file"] = [$"the file has {file.Length} bytes; at most {options.MaxMediaBytes} are accepted (PbxHub:Outbound:MaxMediaBytes)"];
            return null;
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var (format, error) = WavFormat.Read(bytes);
        var problems = format?.ProblemsForTelephony() ?? [];
        if (error is not null || problems.Count > 0)
        {
            errors[".file"] = [$"Evrotel's autodial needs a WAV that is mono, 16-bit PCM, 8000 Hz; '{file.FileName}' is {error ?? string.Join(", ", problems)}"];
            return null;
        }

        if (account is null)
        {
            return null;
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await store.AddMediaAsync(id, account.Id, bytes, time.GetUtcNow(), ct);
        return id;
    }
}
