using System.Text.Json.Serialization;
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

    /// <summary>
    /// How long the signed recording link handed to the CRM works; absent: a year for CRMs that keep the link (amoCRM,
    /// RetailCRM), <c>PbxHub:Recordings:LinkLifetime</c> for Bitrix24, which fetches the file once (docs/recordings.md#connectors).
    /// </summary>
    public TimeSpan? RecordingLinkLifetime { get; set; }

    public Bitrix24.Bitrix24Options Bitrix24 { get; set; } = new();

    public AmoCrm.AmoCrmOptions AmoCrm { get; set; } = new();

    public RetailCrm.RetailCrmOptions RetailCrm { get; set; } = new();

    [JsonIgnore]
    public IReadOnlyList<string> AccountList =>
        (Accounts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();

    /// <summary>Where it was declared (<see cref="ConnectorSources"/>): only those created through the API can be removed there.</summary>
    [JsonIgnore]
    public string Source { get; private set; } = ConnectorSources.Configuration;

    /// <summary>The employees imported from the CRM (<c>POST /api/v1/connectors/{id}/employees/import</c>), beneath <see cref="Employees"/>.</summary>
    [JsonIgnore]
    public Dictionary<string, string> ImportedEmployees { get; private set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The mapping in use: the declared one, and the imported one where the declared one says nothing.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> EffectiveEmployees =>
        ImportedEmployees.Where(e => !Employees.ContainsKey(e.Key)).Concat(Employees)
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The CRM user of a party's extension or number, or null when it is not mapped.</summary>
    public string? EmployeeOf(Calls.Party? party) =>
        party is null ? null
        : party.Extension is { } ext && UserOf(ext) is { } byExt ? byExt
        : party.Number is { } number && UserOf(number) is { } byNumber ? byNumber
        : null;

    /// <summary>The extension (or number) mapped to a CRM user: the declared mapping first.</summary>
    public string? EmployeeFor(string crmUser) =>
        Employees.FirstOrDefault(e => e.Value == crmUser).Key ?? ImportedEmployees.FirstOrDefault(e => e.Value == crmUser).Key;

    /// <summary>A copy that knows where it was declared, with a fresh (empty) imported mapping.</summary>
    public ConnectorOptions CopyWithSource(string source)
    {
        var copy = (ConnectorOptions)MemberwiseClone();
        copy.Employees = new Dictionary<string, string>(Employees, StringComparer.OrdinalIgnoreCase);
        copy.ImportedEmployees = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        copy.Source = source;
        return copy;
    }

    private string? UserOf(string key) =>
        Employees.TryGetValue(key, out var declared) ? declared : ImportedEmployees.TryGetValue(key, out var imported) ? imported : null;
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
            if (IdPattern().IsMatch(c.Id) && options.Items.Count(o => o.Id == c.Id) > 1)
            {
                failures.Add($"{at}:Id '{c.Id}' is declared twice");
            }

            failures.AddRange(ProblemsOf(c, catalog).Select(p => $"{at}:{p}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What keeps one connector from working, whether declared in configuration or created through the API.</summary>
    public static IEnumerable<string> ProblemsOf(ConnectorOptions c, ConnectorCatalog catalog)
    {
        if (!IdPattern().IsMatch(c.Id))
        {
            yield return $"Id '{c.Id}' must be 1-64 letters, digits, '-' or '_'";
        }

        if (c.RecordingFormat is not (null or "" or "mp3"))
        {
            yield return $"RecordingFormat '{c.RecordingFormat}' must be mp3, or empty for the recording as kept";
        }

        if (c.RecordingLinkLifetime is { } lifetime && (lifetime < TimeSpan.FromSeconds(1) || lifetime > CrmRecordingLinksLimit))
        {
            yield return $"RecordingLinkLifetime '{lifetime}' must be from 00:00:01 to 365.00:00:00";
        }

        if (catalog.Find(c.Crm) is not { } crm)
        {
            yield return $"Crm '{c.Crm}' is not one of {string.Join(", ", catalog.Names)}";
            yield break;
        }

        foreach (var problem in crm.Problems(c))
        {
            yield return problem;
        }
    }

    private static readonly TimeSpan CrmRecordingLinksLimit = TimeSpan.FromDays(365);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();
}
