using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Connectors.Bitrix24;

/// <summary>
/// The portal's methods one delivery calls, in order, each stored in the call's state once it succeeded. The first
/// failure stops the run and becomes its <see cref="Outcome"/>: Bitrix24's answers handled as documented.
/// </summary>
internal sealed class Bitrix24Steps(Bitrix24Client client, ConnectorOptions c, ConnectorStore store, string callId, Bitrix24CallState state)
{
    private const string UserNotFound = "User is not found or is not active";

    /// <summary>Errors that retrying the same request cannot fix: the request itself is refused.</summary>
    private static readonly HashSet<string> Refusals = new(StringComparer.Ordinal)
    {
        "ERROR_CORE", "INVALID_ARGUMENT", "WRONG_AUTH_TYPE", "ERROR_METHOD_NOT_FOUND", "ACCESS_DENIED", "insufficient_scope",
    };

    private readonly List<string> done = [];
    private Bitrix24Answer? failed;

    public Bitrix24CallState State { get; private set; } = state;

    public ConnectorOutcome Outcome
    {
        get
        {
            var steps = done.Count == 0 ? "nothing to do" : string.Join("; ", done);
            if (failed is not { } f)
            {
                return ConnectorOutcome.Done(steps);
            }

            var error = f.Text;
            return f.Error == "QUERY_LIMIT_EXCEEDED" ? ConnectorOutcome.Retry(steps, error, f.Status, throttled: true)
                : f.Error is { } code && Refusals.Contains(code) ? ConnectorOutcome.GiveUp(steps, error, f.Status)
                : ConnectorOutcome.Retry(steps, error, f.Status);
        }
    }

    public static JsonObject DefaultUser(ConnectorOptions c) =>
        new() { ["USER_ID"] = int.Parse(c.DefaultUser!, System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary><c>telephony.externalLine.add</c> once per line number; "Line already exists" is as good as added.</summary>
    public async Task<bool> LineAsync(string number, CancellationToken ct)
    {
        var secrets = await client.SecretsAsync(c.Id, ct);
        if (secrets is null || secrets.Lines.Contains(number))
        {
            return true;
        }

        var answer = await client.CallAsync(c, "telephony.externalLine.add", new JsonObject { ["NUMBER"] = number, ["NAME"] = number }, ct);
        if (!answer.Ok && answer.Description?.Contains("already exists", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Fail(answer);
        }

        await client.UpdateAsync(c.Id, now => now.Lines.Contains(number) ? now : now with { Lines = [.. now.Lines, number] }, ct);

        done.Add($"telephony.externalLine.add {number}");
        return true;
    }

    public async Task<bool> RegisterAsync(JsonObject parameters, CancellationToken ct)
    {
        var answer = await WithUserFallbackAsync("telephony.externalCall.register", parameters, ct);
        if (!answer.Ok || answer.Result?["CALL_ID"]?.ToString() is not { Length: > 0 } crmCallId)
        {
            return Fail(answer.Ok ? answer with { Error = "UNEXPECTED_ANSWER", Description = "register gave no CALL_ID" } : answer);
        }

        return await SaveAsync(State with { CallId = crmCallId }, $"telephony.externalCall.register → {crmCallId}", ct);
    }

    public Task<bool> AdoptAsync(string crmCallId, CancellationToken ct) =>
        SaveAsync(State with { CallId = crmCallId }, $"click-to-call {crmCallId} (registered by Bitrix24)", ct);

    public async Task<bool> ShowAsync(string user, CancellationToken ct)
    {
        var answer = await client.CallAsync(c, "telephony.externalCall.show", Call(new JsonObject { ["USER_ID"] = UserId(user) }), ct);
        // A user the portal does not know simply sees nothing: the call goes on.
        return answer.Ok || answer.Description == UserNotFound
            ? await SaveAsync(State with { Shown = [.. State.Shown, user] }, $"telephony.externalCall.show {user}", ct)
            : Fail(answer);
    }

    public async Task<bool> HideAsync(IReadOnlyList<string> users, CancellationToken ct)
    {
        var answer = await client.CallAsync(c, "telephony.externalCall.hide", Call(new JsonObject { ["USER_ID"] = new JsonArray([.. users.Select(u => (JsonNode)UserId(u))]) }), ct);
        return answer.Ok || answer.Description == UserNotFound
            ? await SaveAsync(State with { Hidden = [.. State.Hidden, .. users] }, $"telephony.externalCall.hide {string.Join(",", users)}", ct)
            : Fail(answer);
    }

    public async Task<bool> FinishAsync(JsonObject parameters, CancellationToken ct)
    {
        var answer = await WithUserFallbackAsync("telephony.externalCall.finish", Call(parameters), ct);
        return answer.Ok
            ? await SaveAsync(State with { Finished = true, FinishedAs = Bitrix24Finish.Facts(parameters) }, $"telephony.externalCall.finish {Bitrix24Finish.Facts(parameters)}", ct)
            : Fail(answer);
    }

    /// <summary>Notes (once) that the call changed after its finish; Bitrix24 keeps what it was told.</summary>
    public Task<bool> LateChangeAsync(string now, CancellationToken ct) =>
        SaveAsync(State with { LateChangeLogged = true }, $"finish already sent as {State.FinishedAs}, the call is now {now}: Bitrix24 takes no second finish", ct);

    /// <summary>
    /// <c>attachRecord</c> with the link <paramref name="recording"/> gives (PbxHub's copy or the provider's), once per
    /// version of the file; a recording PbxHub is still fetching waits for its <c>call.recording.kept</c>.
    /// </summary>
    public async Task<bool> AttachRecordAsync(Func<Task<Recordings.CrmRecording>> recording, string hubCallId, CancellationToken ct)
    {
        Recordings.CrmRecording r;
        try
        {
            r = await recording();
        }
        catch (Recordings.TranscodeException ex)
        {
            return Fail(new Bitrix24Answer(ex.Status, null, "RECORDING_MP3", ex.Message));
        }

        if (State.Record == r.Identity)
        {
            return true;
        }

        if (r.Url is not { } url)
        {
            done.Add($"telephony.externalCall.attachRecord: {r.Note}");
            return true;
        }

        var name = r.FileName is { Length: > 0 } own ? own : Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Path.GetFileName(uri.AbsolutePath) : "";
        var p = Call(new JsonObject { ["RECORD_URL"] = url });
        // Bitrix24 takes the name from the link and accepts only wav and mp3: a link without one gets a name that says mp3.
        p["FILENAME"] = name.EndsWith(".mp3", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) ? name : hubCallId + ".mp3";
        var answer = await client.CallAsync(c, "telephony.externalCall.attachRecord", p, ct);
        return answer.Ok ? await SaveAsync(State with { Record = r.Identity }, $"telephony.externalCall.attachRecord ({r.Note})", ct) : Fail(answer);
    }

    /// <summary>A user the portal does not know (or who left) is replaced by the default user, as documented.</summary>
    private async Task<Bitrix24Answer> WithUserFallbackAsync(string method, JsonObject parameters, CancellationToken ct)
    {
        var answer = await client.CallAsync(c, method, parameters, ct);
        if (answer.Description != UserNotFound || parameters["USER_ID"]?.ToString() == c.DefaultUser)
        {
            return answer;
        }

        var fallback = parameters.DeepClone().AsObject();
        fallback.Remove("USER_PHONE_INNER");
        fallback["USER_ID"] = DefaultUser(c)["USER_ID"]!.DeepClone();
        done.Add($"{method}: {UserNotFound.ToLowerInvariant()}, the default user instead");
        return await client.CallAsync(c, method, fallback, ct);
    }

    private JsonObject Call(JsonObject parameters)
    {
        parameters["CALL_ID"] = State.CallId;
        return parameters;
    }

    private static int UserId(string user) => int.Parse(user, System.Globalization.CultureInfo.InvariantCulture);

    private async Task<bool> SaveAsync(Bitrix24CallState next, string step, CancellationToken ct)
    {
        await store.SaveCallStateAsync(c.Id, callId, JsonSerializer.Serialize(next), ct);
        State = next;
        done.Add(step);
        return true;
    }

    private bool Fail(Bitrix24Answer answer)
    {
        failed = answer;
        return false;
    }
}
