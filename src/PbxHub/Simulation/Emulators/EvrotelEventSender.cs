using System.Globalization;

namespace PbxHub.Simulation.Emulators;

/// <summary>
/// Sends a click-to-call's events the way the <c>http_post</c> of Evrotel's document does (docs/providers/evrotel.md): <c>http_build_query</c>
/// (form-encoded; null fields left out), the bare token in <c>Authorization</c>. The start's answer
/// body is the receiver's call id, which the end carries as <c>callid</c>.
/// </summary>
internal sealed partial class EvrotelEventSender(
    IHttpClientFactory http, EvrotelEmulatorOptions options, TimeProvider time, ILogger logger, CancellationToken stopping)
{

    public void SendInBackground(string extension, string client) => _ = Task.Run(() => SendAsync(extension, client), stopping);

    private async Task SendAsync(string extension, string client)
    {
        if (string.IsNullOrEmpty(options.HubUrl))
        {
            return;
        }

        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), stopping);
            var start = await PostAsync(new()
            {
                ["callstatus"] = "start", ["calldate"] = Now(), ["numberA"] = extension, ["numberB"] = client, ["direction"] = "o",
            });
            await Task.Delay(options.TalkTime, stopping);
            await PostAsync(new()
            {
                ["callstatus"] = "end", ["calldate"] = Now(), ["callid"] = start.Trim(), ["numberA"] = extension, ["numberB"] = client,
                ["direction"] = "o", ["billsec"] = ((int)options.TalkTime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                ["disposition"] = "ANSWERED", ["recfile"] = $"/wav/9/{time.GetUtcNow():yyyy-MM-dd}/{time.GetUtcNow().ToUnixTimeSeconds()}.wav",
            });
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogFailed(ex.Message);
        }
    }

    private async Task<string> PostAsync(Dictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.HubUrl) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation("Authorization", options.Token);
        using var response = await http.CreateClient().SendAsync(request, stopping);
        var body = await response.Content.ReadAsStringAsync(stopping);
        LogSent(fields["callstatus"], (int)response.StatusCode, body);
        return body;
    }

    private string Now() =>
        TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent callstatus={Status} to the hub: HTTP {Code} {Body}")]
    private partial void LogSent(string status, int code, string body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send call events to the hub: {Reason}")]
    private partial void LogFailed(string reason);
}
