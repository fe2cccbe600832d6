using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PbxHub.Connectors;

/// <summary>The connectors declared under <c>PbxHub:Connectors</c> (e.g. <c>PbxHub__Connectors__0__Employees__101=5</c>).</summary>
internal sealed class ConnectorsOptions
{
    public const string Section = "PbxHub:Connectors";

    public List<ConnectorOptions> Items { get; } = [];

    public ConnectorOptions? Find(string id) => Items.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal));
}

/// <summary>One connection to one CRM (docs/connectors.md).</summary>
internal sealed class ConnectorOptions
{
    public string Id { get; set; } = "";

    public string Crm { get; set; } = "";

    /// <summary>Comma-separated account ids; absent means all.</summary>
    public string? Accounts { get; set; }

    /// <summary>An extension or number of the account → the CRM user id.</summary>
    public Dictionary<string, string> Employees { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The CRM user for calls no mapped employee took, and the owner of missed calls.</summary>
    public string? DefaultUser { get; set; }

    /// <summary><c>mp3</c>: the CRM gets recordings as MP3 (a kept WAV encoded by PbxHub); empty: as kept (docs/recordings.md).</summary>
    public string? RecordingFormat { get; set; }

    public Bitrix24.Bitrix24Options Bitrix24 { get; set; } = new();

    public IReadOnlyList<string> AccountList =>
        (Accounts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();

    /// <summary>The CRM user of a party's extension or number, or null when it is not mapped.</summary>
    public string? EmployeeOf(Calls.Party? party) =>
        party is null ? null
        : party.Extension is { } ext && Employees.TryGetValue(ext, out var byExt) ? byExt
        : party.Number is { } number && Employees.TryGetValue(number, out var byNumber) ? byNumber
        : null;
}

/// <summary>Refuses at start a connector that could not work: one line per problem.</summary>
internal sealed partial class ConnectorsOptionsValidator(ConnectorCatalog catalog) : IValidateOptions<ConnectorsOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectorsOptions options)
    {
        var failures = new List<string>();
        foreach (var (c, i) in options.Items.Select((c, i) => (c, i)))
        {
            var at = $"{ConnectorsOptions.Section}:{i}";
            if (!IdPattern().IsMatch(c.Id))
            {
                failures.Add($"{at}:Id '{c.Id}' must be 1-64 letters, digits, '-' or '_'");
            }
            else if (options.Items.Count(o => o.Id == c.Id) > 1)
            {
                failures.Add($"{at}:Id '{c.Id}' is declared twice");
            }

            if (c.RecordingFormat is not (null or "" or "mp3"))
            {
                failures.Add($"{at}:RecordingFormat '{c.RecordingFormat}' must be mp3, or empty for the recording as kept");
            }

            if (catalog.Find(c.Crm) is not { } crm)
            {
                failures.Add($"{at}:Crm '{c.Crm}' is not one of {string.Join(", ", catalog.Names)}");
                continue;
            }

            failures.AddRange(crm.Problems(c).Select(p => $"{at}:{p}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();
}
