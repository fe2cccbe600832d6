using System.Globalization;
using PbxHub.Calls;

namespace PbxHub.Simulation.Emulators;

/// <summary>
/// Sends a click-to-call's events the way the <c>http_post</c> of Evrotel's document does (docs/providers/evrotel.md): <c>http_build_query</c>
/// (form-encoded; null fields left out), the bare token in <c>Authorization</c>. The start's answer
/// body is the receiver's call id, which the end carries as <c>callid</c>. Every call placed is written in the
/// stand-in's history as the events tell it, whether or not a hub receives them.
/// </summary>
internal sealed partial class EvrotelEventSender(
    IHttpClientFactory http, EvrotelEmulatorOptions options, HistoryBook history, TimeProvider time, ILogger logger, CancellationToken stopping)
{

    public void SendInBackground(string extension, string client) => _ = Task.Run(() => SendAsync(extension, client), stopping);

    private async Task SendAsync(string extension, string client)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), stopping);
            var startedAt = Second();
            var start = await PostAsync(new()
            {
                ["callstatus"] = "start", ["calldate"] = Wall(startedAt), ["numberA"] = extension, ["numberB"] = client, ["direction"] = "o",
            });
            await Task.Delay(options.TalkTime, stopping);
            var endedAt = Second();
            var billsec = (int)options.TalkTime.TotalSeconds;
            var recfile = $"/wav/9/{endedAt:yyyy-MM-dd}/{endedAt.ToUnixTimeSeconds()}.wav";
            history.Add([new HistoryCall(
                "", Directions.Outbound, extension, client, null, startedAt, endedAt.AddSeconds(-billsec), endedAt, Outcomes.Answered, extension, recfile)]);
            await PostAsync(new()
            {
                ["callstatus"] = "end", ["calldate"] = Wall(endedAt), ["callid"] = start?.Trim() ?? "", ["numberA"] = extension, ["numberB"] = client,
                ["direction"] = "o", ["billsec"] = billsec.ToString(CultureInfo.InvariantCulture), ["disposition"] = "ANSWERED", ["recfile"] = recfile,
            });
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogFailed(ex.Message);
        }
    }

    /// <summary>Posts to the hub, when there is one: the body it answered, null when none.</summary>
    private async Task<string?> PostAsync(Dictionary<string, string> fields)
    {
        if (string.IsNullOrEmpty(options.HubUrl))
        {
            return null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, options.HubUrl) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation("Authorization", options.Token);
        using var response = await http.CreateClient().SendAsync(request, stopping);
        var body = await response.Content.ReadAsStringAsync(stopping);
        LogSent(fields["callstatus"], (int)response.StatusCode, body);
        return body;
    }

    /// <summary>Now to the second, as <c>calldate</c> tells it.</summary>
    private DateTimeOffset Second() => DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());

    private string Wall(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent callstatus={Status} to the hub: HTTP {Code} {Body}")]
    private partial void LogSent(string status, int code, string body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send call events to the hub: {Reason}")]
    private partial void LogFailed(string reason);
}
