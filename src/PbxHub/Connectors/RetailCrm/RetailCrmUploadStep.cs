using System.Globalization;
using PbxHub.Accounts;
using PbxHub.Calls;

namespace PbxHub.Connectors.RetailCrm;

/// <summary>
/// An ended call's one upload (docs/connectors/retailcrm.md#upload-once-per-call): once the call has been quiet for
/// <see cref="RetailCrmOptions.SettleFor"/>, from its record as it is then, with PbxHub's kept recording when it has one,
/// through the connector's batch (<see cref="RetailCrmUploads"/>).
/// </summary>
internal sealed class RetailCrmUploadStep(
    RetailCrmUploads uploads, CallSettle settle, AccountDirectory accounts, Recordings.CrmRecordingLinks recordings, TimeProvider time)
{
    /// <summary>How long after its end an upload waits for PbxHub to keep the recording, before it sends the provider's link.</summary>
    private static readonly TimeSpan RecordingWait = TimeSpan.FromMinutes(2);

    /// <summary>The delivery's outcome, and what was uploaded (<c>result</c> and <c>duration</c>; null: nothing yet).</summary>
    public async Task<(ConnectorOutcome Outcome, string? Told)> SendAsync(ConnectorOptions c, CallRecord ended, List<string> steps, CancellationToken ct)
    {
        string Steps() => steps.Count == 0 ? "nothing to do" : string.Join("; ", steps);
        var (call, wait) = await settle.SettledAsync(ended, c.RetailCrm.SettleFor, ct);
        if (wait is { } until)
        {
            steps.Add($"upload waits until {until.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC: no request of the call for RetailCrm:SettleFor");
            return (ConnectorOutcome.Wait(Steps(), until), null);
        }

        string? recordUrl = null;
        if (call.RecordingUrl is { } url && (recordUrl = await RecordingAsync(c, call, url, ct)) is null)
        {
            steps.Add("upload waits for PbxHub to keep the recording");
            return (ConnectorOutcome.Wait(Steps(), time.GetUtcNow() + Recordings.CrmRecordingLinks.LookAgainIn), null);
        }

        var zone = await accounts.FindAsync(call.Account, ct) is { } account && TimeZoneInfo.TryFindSystemTimeZoneById(account.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        var upload = RetailCrmCalls.Upload(c, call, zone, recordUrl);
        var told = $"{upload["result"]} {upload["duration"]} s";
        var uploaded = await uploads.UploadAsync(c, upload, ct);
        var what = $"telephony/calls/upload {told}{(recordUrl is null ? "" : " with recordUrl")} ({uploaded.BatchSize} call{(uploaded.BatchSize == 1 ? "" : "s")} in the request)";
        if (!uploaded.Ok)
        {
            return (uploaded.Answer.Outcome(string.Join("; ", [.. steps, what + " failed"])), null);
        }

        steps.Add(uploaded.Duplicate ? what + ": RetailCRM has it already (duplicateCalls)" : what);
        return (ConnectorOutcome.Done(Steps()), told);
    }

    /// <summary>PbxHub's kept copy, else the provider's link; null while PbxHub is still fetching it (for at most <see cref="RecordingWait"/>).</summary>
    private async Task<string?> RecordingAsync(ConnectorOptions c, CallRecord call, string providerUrl, CancellationToken ct)
    {
        try
        {
            var r = await recordings.ForAsync(call, providerUrl, c.RecordingFormat, c.RecordingLinkLifetime ?? Recordings.CrmRecordingLinks.KeptByTheCrm, ct);
            return r.Url ?? (time.GetUtcNow() - call.UpdatedAt > RecordingWait ? providerUrl : null);
        }
        catch (Recordings.TranscodeException)
        {
            return providerUrl;
        }
    }
}
