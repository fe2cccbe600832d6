using System.Text.Json.Nodes;

namespace PbxHub.Providers.Uis;

/// <summary>The error table of the UIS Call API (docs/providers/uis.md) as problem details, each with the document's remedy in words.</summary>
internal static class UisErrors
{
    public const int IpAddress = -32001;
    public const int Authentication = -32002;
    public const int Permission = -32003;
    public const int Limit = -32004;
    public const int SessionExpired = -32005;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int Internal = -32603;
    public const int Parse = -32700;

    /// <summary>
    /// <c>Retry-After</c> of a 429 for "limit exceeded": UIS does not say which limit (per minute or per day)
    /// nor when it resets, so a client is told to wait out the per-minute one (docs/json.md).
    /// </summary>
    public const int LimitRetryAfterSeconds = 60;

    /// <summary>The codes after which a new session key is fetched once and the call repeated.</summary>
    public static bool NeedsNewSession(int code) => code is Authentication or SessionExpired;

    public static OutboundProblem Problem(int code, string message, JsonNode? data, bool placesCall)
    {
        var (status, title, remedy) = code switch
        {
            IpAddress => (502, "UIS does not allow PbxHub's IP address",
                "Add the IP address PbxHub calls from to the list of allowed addresses in the UIS account."),
            Authentication => (502, "UIS did not accept the session key",
                "PbxHub fetched a new session key once and UIS still refused it; check Uis:Login and Uis:Password and try again."),
            Permission => (502, "UIS denied permission",
                "Check the service number (Uis:ServiceNumber or options.numb), the login and password, and that Call API and its components are active in UIS."),
            Limit => (429, "UIS limit exceeded",
                "The daily or per-minute limit of the UIS account is used up: raise the limits in UIS or try again later."),
            SessionExpired => (502, "UIS session key expired",
                "PbxHub fetched a new session key once and UIS still called it expired; check the clocks and try again."),
            InvalidRequest => (502, "UIS found the request incomplete",
                "The request lacked fields UIS needs: this is a PbxHub fault, please report it with the request shown here."),
            MethodNotFound => (502, "UIS does not know the method",
                "Check the API version: Uis:BaseUrl must lead to Call API v1."),
            InvalidParams => (422, "UIS refused the parameters",
                "Check the parameters named in the provider's data and add the missing ones."),
            Internal => (502, "UIS internal error",
                "The error is on UIS's side, not caused by the request: contact UIS support."),
            Parse => (502, "UIS could not parse the request",
                "UIS did not read the body as JSON: this is a PbxHub fault, please report it with the request shown here."),
            _ => (502, "UIS error", "UIS answered an error its document does not list; see the provider's message."),
        };
        var detail = $"UIS answered {code} \"{message}\"" + (data is null ? "." : $": {Text(data)}.");
        if (placesCall && code is Internal)
        {
            remedy += " The call may or may not have been placed: look for it in the call journal before trying again.";
        }

        return new OutboundProblem(status, title, detail, remedy, code.ToString(System.Globalization.CultureInfo.InvariantCulture), message, data?.DeepClone(),
            MayHaveBeenPlaced: placesCall && code is Internal, RetryAfterSeconds: code is Limit ? LimitRetryAfterSeconds : null);
    }

    /// <summary><c>result: "fail"</c>: UIS took the request and could not place the calls.</summary>
    public static OutboundProblem Failed(JsonNode? result) => new(
        502, "UIS could not place the calls",
        $"UIS answered result \"{Text(result)}\" to place_calls.",
        "Check the numbers and the service number, then try again; UIS gives no reason for \"fail\".",
        ProviderMessage: Text(result));

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";
}
