using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>
/// One CRM's side of a connector: takes the normalised events of its calls from the outbox, one at a time per call,
/// and answers what the CRM itself sends to <c>/connectors/{id}/events</c> (docs/connectors.md).
/// </summary>
internal interface ICrmConnector
{
    /// <summary>
    /// Brings the CRM up to date with one event (its <c>call</c> is the record as it was then). Calls between two employees
    /// never come here (<see cref="ConnectorTarget"/> skips them: no client, nothing for a CRM).
    /// </summary>
    Task<ConnectorOutcome> DeliverAsync(ConnectorOptions connector, ConnectorEvent e, CancellationToken ct);

    /// <summary>An event the CRM sent to <c>/connectors/{id}/events</c>.</summary>
    Task<IResult> ReceiveAsync(ConnectorOptions connector, HttpRequest request, CancellationToken ct);

    /// <summary>
    /// <c>GET/POST /connectors/{id}/install</c>: the page the CRM opens to install PbxHub's application (Bitrix24), the
    /// OAuth redirect that brings an authorisation code (amoCRM), or registering the integration now (RetailCRM).
    /// </summary>
    Task<IResult> InstallAsync(ConnectorOptions connector, HttpRequest request, CancellationToken ct);

    /// <summary>
    /// Whether the CRM is connected, and to what (its portal, account or address), for the API and the set-up page.
    /// <paramref name="secrets"/> is what the connector keeps in <see cref="ConnectorStore"/> (null: nothing yet).
    /// </summary>
    ConnectorInstallation Installation(ConnectorOptions connector, string? secrets) =>
        secrets is null ? new(false, null)
        : new(true, System.Text.Json.JsonDocument.Parse(secrets).RootElement.TryGetProperty("domain", out var d) ? d.GetString() : null);

    /// <summary>The CRM's users that have an extension (or number) of the account, read from the CRM itself.</summary>
    Task<EmployeeImport> ImportEmployeesAsync(ConnectorOptions connector, CancellationToken ct);

    /// <summary>
    /// Undoes in the CRM what the connector set up there, as the connector is removed (RetailCRM: its module is
    /// deactivated). The removal goes on whatever the CRM answers: the problem, if any, is only logged.
    /// </summary>
    Task<string?> RemovedAsync(ConnectorOptions connector, CancellationToken ct) => Task.FromResult<string?>(null);
}

/// <summary>Whether a connector's CRM is connected (<c>installed</c> in the API) and to what (<c>portal</c>).</summary>
internal sealed record ConnectorInstallation(bool Installed, string? Portal);

/// <summary>What a CRM said of its users: extension or number → CRM user, or why it could not say.</summary>
internal sealed record EmployeeImport(IReadOnlyDictionary<string, string> Employees, string? Problem, bool NotInstalled = false)
{
    public static EmployeeImport Failed(string problem, bool notInstalled = false) => new(new Dictionary<string, string>(), problem, notInstalled);
}

/// <summary>What one delivery to a CRM gave; <see cref="Steps"/> lists the CRM's methods called, for the delivery log.</summary>
internal sealed record ConnectorOutcome(bool Delivered, string Steps, string? Error, int? StatusCode, bool Throttled, bool Final)
{
    public static ConnectorOutcome Done(string steps) => new(true, steps, null, 200, false, false);

    /// <summary>Not the step's time yet: the delivery is tried again at <see cref="WaitUntil"/>, neither delivered nor failing.</summary>
    public DateTimeOffset? WaitUntil { get; init; }

    /// <summary>Asked again at <paramref name="until"/> (the delivery log shows 202 and why).</summary>
    public static ConnectorOutcome Wait(string steps, DateTimeOffset until) => new(false, steps, null, 202, false, false) { WaitUntil = until };

    /// <summary>Worth trying again on the schedule (the CRM is down, not installed yet, or busy).</summary>
    public static ConnectorOutcome Retry(string steps, string error, int? status, bool throttled = false) => new(false, steps, error, status, throttled, false);

    /// <summary>The CRM refused the step as such: retrying cannot fix it.</summary>
    public static ConnectorOutcome GiveUp(string steps, string error, int? status) => new(false, steps, error, status, false, true);
}

/// <summary>A CRM PbxHub can feed, registered by one line in <see cref="ConnectorCatalog.Builtin"/>.</summary>
/// <param name="Crm">Its name in configuration (<c>Crm</c>).</param>
/// <param name="Connector">Its <see cref="ICrmConnector"/>, resolved from the services.</param>
/// <param name="Services">The services its classes use.</param>
/// <param name="Problems">What is wrong with a connector's settings for this CRM, checked at start.</param>
internal sealed record ConnectorDescriptor(
    string Crm, Type Connector, Action<IServiceCollection> Services, Func<ConnectorOptions, IEnumerable<string>> Problems);
