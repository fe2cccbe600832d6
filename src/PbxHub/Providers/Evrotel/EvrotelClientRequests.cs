using System.Text.Json.Nodes;
using PbxHub.Accounts;
using PhoneNumbers;

namespace PbxHub.Providers.Evrotel;

/// <summary>The bodies of Evrotel's click-to-call and autodial requests (docs/providers/evrotel.md, "Placing calls", "Autodial").</summary>
internal static partial class EvrotelClientRequests
{
    public const string TokenKey = "Evrotel:Token";
    public const string BillCodeKey = "Evrotel:BillCode";
    public const string BaseUrlKey = "Evrotel:BaseUrl";

    /// <summary>The address of the document's examples, used when the account names none.</summary>
    public const string DefaultBaseUrl = "https://callme.sipiko.net";

    private static readonly string[] Routings = ["rand", "inline", "all"];

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]{1,15}$")]
    private static partial System.Text.RegularExpressions.Regex ExtensionPattern();

    public static Uri Url(Account account, string path) =>
        new((account.Setting(BaseUrlKey) ?? DefaultBaseUrl).TrimEnd('/') + path);

    /// <summary>What the account lacks for outbound calls, in words.</summary>
    public static IEnumerable<string> AccountProblems(Account account)
    {
        foreach (var key in (string[])[TokenKey, BillCodeKey])
        {
            if (account.Setting(key) is null)
            {
                yield return $"{key} is required to place calls through Evrotel";
            }
        }

        if (account.Setting(BaseUrlKey) is { } url && !OutboundOptions.IsAbsoluteHttpUrl(url))
        {
            yield return $"{BaseUrlKey} '{url}' is not an absolute http(s) URL";
        }
    }

    /// <summary><c>webapp</c>: <c>numberA</c> the employees' extensions, <c>numberB</c> the client, <c>routing</c> rand (default), inline or all.</summary>
    public static (JsonObject? Body, IDictionary<string, string[]> Errors) ClickToCall(Account account, PlaceCallInput input)
    {
        var errors = new Dictionary<string, string[]>();
        var options = new OptionReader(input.Options, "options", errors);
        options.RejectUnknown(["routing"]);
        var routing = options.OneOf("routing", Routings);
        if (input.Operators.Count == 0)
        {
            errors["operator"] = ["operator is required: an employee's extension, or a list of them"];
        }

        for (var i = 0; i < input.Operators.Count; i++)
        {
            if (!ExtensionPattern().IsMatch(input.Operators[i]))
            {
                errors[input.Operators.Count == 1 ? "operator" : $"operator[{i}]"] =
                    [$"'{input.Operators[i]}' is not an extension: Evrotel's numberA holds employees' internal numbers (digits, e.g. 101)"];
            }
        }

        var client = Dialable(input.Client, account.Country);
        if (client is null)
        {
            errors["client"] = [$"'{input.Client}' is not a phone number"];
        }

        var body = new JsonObject
        {
            ["billcode"] = account.Setting(BillCodeKey),
            ["numberA"] = new JsonArray(input.Operators.Select(o => (JsonNode)o).ToArray()),
            ["numberB"] = client,
            ["routing"] = routing ?? "rand",
        };
        return (errors.Count == 0 ? body : null, errors);
    }

    public static JsonObject MediaUpload(Account account, string mediaUrl) =>
        new() { ["billcode"] = account.Setting(BillCodeKey), ["mediafile"] = mediaUrl };

    /// <summary>The start request names the file as Evrotel files it: <c>&lt;billcode&gt;_&lt;file&gt;</c>.</summary>
    public static JsonObject AutodialStart(Account account, string fileName, int channels) =>
        new() { ["billcode"] = account.Setting(BillCodeKey), ["mediafile"] = $"{account.Setting(BillCodeKey)}_{fileName}", ["chnum"] = channels };

    /// <summary>
    /// The number as dialled from the account's country: national with its trunk prefix at home
    /// (<c>0679853913</c> in Ukraine, as the document's examples), international prefix abroad.
    /// </summary>
    public static string? Dialable(string raw, string country)
    {
        if (Calls.Parties.ToE164(raw, country) is not { } e164)
        {
            return null;
        }

        var util = PhoneNumberUtil.GetInstance();
        var formatted = util.FormatOutOfCountryCallingNumber(util.Parse(e164, null), country);
        return new string(formatted.Where(char.IsAsciiDigit).ToArray());
    }
}
