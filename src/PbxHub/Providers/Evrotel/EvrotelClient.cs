using System.Text.Json.Nodes;
using PbxHub.Accounts;

namespace PbxHub.Providers.Evrotel;

/// <summary>
/// Evrotel's outbound API (docs/providers/evrotel.md): click-to-call through <c>webapp/</c>, autodial through
/// <c>autodial/media/</c> then <c>autodial/</c>, each an authorised JSON POST with the account's token
/// in <c>Authorization</c>. The call's outcome arrives later as call events on the account's hook.
/// </summary>
internal sealed class EvrotelClient(OutboundHttp http) : IOutboundCalls
{
    public string Provider => "evrotel";

    public bool SupportsAutodial => true;

    public async Task<OutboundOutcome> PlaceCallAsync(Account account, PlaceCallInput input, CancellationToken ct)
    {
        if (NotSetUp(account) is { } notSetUp)
        {
            return notSetUp;
        }

        var (body, errors) = EvrotelClientRequests.ClickToCall(account, input);
        if (body is null)
        {
            return new OutboundOutcome.Invalid(errors.AsReadOnly());
        }

        var exchanges = new List<ProviderExchange>();
        var problem = await PostAsync(account, "/webapp/", body, placesCall: true, exchanges, ct);
        return problem is null ? new OutboundOutcome.Placed(exchanges) : new OutboundOutcome.Failed(problem, exchanges);
    }

    public async Task<OutboundOutcome> AutodialAsync(Account account, AutodialInput input, CancellationToken ct)
    {
        if (NotSetUp(account) is { } notSetUp)
        {
            return notSetUp;
        }

        if (input.Channels < 1)
        {
            return new OutboundOutcome.Invalid(new Dictionary<string, string[]> { ["channels"] = ["channels (chnum) must be at least 1"] });
        }

        var exchanges = new List<ProviderExchange>();
        var problem = await PostAsync(account, "/autodial/media/", EvrotelClientRequests.MediaUpload(account, input.MediaUrl), placesCall: false, exchanges, ct)
            ?? await PostAsync(account, "/autodial/", EvrotelClientRequests.AutodialStart(account, input.FileName, input.Channels), placesCall: true, exchanges, ct);
        return problem is null ? new OutboundOutcome.Placed(exchanges) : new OutboundOutcome.Failed(problem, exchanges);
    }

    private static OutboundOutcome.Failed? NotSetUp(Account account)
    {
        var problems = EvrotelClientRequests.AccountProblems(account).ToList();
        return problems.Count == 0
            ? null
            : new OutboundOutcome.Failed(
                new OutboundProblem(422, "The account is not set up for Evrotel calls", string.Join("; ", problems),
                    "Add the token and bill code Evrotel's manager issued to the account's settings."), []);
    }

    /// <returns>Null when Evrotel took the request, else the problem.</returns>
    private async Task<OutboundProblem?> PostAsync(
        Account account, string path, JsonObject body, bool placesCall, List<ProviderExchange> exchanges, CancellationToken ct)
    {
        var sent = await http.PostJsonAsync(
            EvrotelClientRequests.Url(account, path), body, body.DeepClone(), account.Setting(EvrotelClientRequests.TokenKey), placesCall, "Evrotel", ct);
        exchanges.Add(sent.Exchange);
        if (sent.TransportProblem is { } transport)
        {
            return transport;
        }

        var status = sent.Status!.Value;
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answer = sent.Body!.Length <= 500 ? sent.Body : sent.Body[..500] + "…";
        return status switch
        {
            >= 200 and < 300 => null,
            401 or 403 => new OutboundProblem(502, "Evrotel refused the token", $"{path} answered HTTP {status}: {answer}",
                "Check Evrotel:Token (issued by Evrotel's manager) and that the bill code belongs to it.", code, answer),
            >= 500 => new OutboundProblem(502, "Evrotel failed", $"{path} answered HTTP {status}: {answer}",
                placesCall ? "The call may or may not have been placed: look for it in the call journal before trying again." : "Try again later.",
                code, answer, MayHaveBeenPlaced: placesCall),
            _ => new OutboundProblem(422, "Evrotel refused the request", $"{path} answered HTTP {status}: {answer}",
                "Correct what Evrotel's answer names and send the request again.", code, answer),
        };
    }
}
