using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Calls;

namespace PbxHub.Connectors.AmoCrm;

/// <summary>
/// Feeds an amoCRM account (docs/connectors/amocrm.md): an incoming-call notification to each mapped employee rung
/// (<c>POST /api/v2/events</c>), and once the ended call has settled, the call itself (<c>POST /api/v4/calls</c>), or an
/// incoming unsorted lead for a number amoCRM does not know (<c>POST /api/v4/leads/unsorted/sip</c>). amoCRM takes a
/// call once and cannot update it, so each step is kept in the call's state and never repeated.
/// </summary>
internal sealed class AmoCrmConnector(
    AmoCrmClient client, AmoCrmCalls calls, AmoCrmWidget widget, AmoCrmInstall install, ConnectorStore store, CallSettle settle) : ICrmConnector
{
    public static ConnectorDescriptor Descriptor { get; } = new(
        "amocrm", typeof(AmoCrmConnector),
        services =>
        {
            services.AddHttpClient(AmoCrmClient.ClientName).ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(30));
            services.AddSingleton<AmoCrmClient>().AddSingleton<AmoCrmCalls>().AddSingleton<AmoCrmWidget>().AddSingleton<AmoCrmInstall>()
                .AddSingleton<AmoCrmConnector>();
        },
        AmoCrmOptions.Problems);

    public Task<IResult> ReceiveAsync(ConnectorOptions connector, HttpRequest request, CancellationToken ct) => widget.ReceiveAsync(connector, request, ct);

    public Task<IResult> InstallAsync(ConnectorOptions connector, HttpRequest request, CancellationToken ct) => install.InstallAsync(connector, request, ct);

    /// <summary>A long-lived token needs no installation: its account is <c>BaseUrl</c>'s.</summary>
    public ConnectorInstallation Installation(ConnectorOptions connector, string? secrets) =>
        !string.IsNullOrWhiteSpace(connector.AmoCrm.Token) ? new(true, Uri.TryCreate(connector.AmoCrm.BaseUrl, UriKind.Absolute, out var u) ? u.Authority : null)
        : secrets is null ? new(false, null)
        : new(true, JsonSerializer.Deserialize<AmoCrmSecrets>(secrets)?.Domain);

    public async Task<EmployeeImport> ImportEmployeesAsync(ConnectorOptions connector, CancellationToken ct)
    {
        var answer = await client.SendAsync(connector, HttpMethod.Get, "/api/v4/users?limit=250", null, ct);
        if (!answer.Ok)
        {
            return EmployeeImport.Failed("GET /api/v4/users: " + answer.Text, answer.Status is null && answer.Problem?.StartsWith("the integration is not installed", StringComparison.Ordinal) == true);
        }

        var count = (answer.Body?["_embedded"]?["users"] as JsonArray)?.Count ?? 0;
        return EmployeeImport.Failed(
            $"amoCRM keeps no extensions: its {count} users (GET /api/v4/users) have an id, name, e-mail and rights, but no phone number; "
            + "declare each employee as Employees:<extension>=<amoCRM user id>");
    }

    public async Task<ConnectorOutcome> DeliverAsync(ConnectorOptions c, ConnectorEvent e, CancellationToken ct)
    {
        var (stored, call, leg) = e;
        var state = JsonSerializer.Deserialize<AmoCrmCallState>(await store.CallStateAsync(c.Id, call.Id, ct) ?? "{}")!;
        switch (stored.Type)
        {
            // Not once the call was added: a notification retried that late (amoCRM was down) would announce a call long over.
            case CallEventTypes.LegRinging when state.Told is null && call.Direction == Directions.Inbound
                && c.EmployeeOf(leg?.Party) is { } user && !state.Notified.Contains(user):
                return await calls.NotifyAsync(c, call, user, state, ct);
            case CallEventTypes.Ended when state.Told is null:
                // One call per call in amoCRM: told once the call is quiet, from its record as it is then (late events included).
                var (settled, wait) = await settle.SettledAsync(call, c.AmoCrm.SettleFor, ct);
                if (wait is { } until)
                {
                    return ConnectorOutcome.Wait($"the call waits until {Clock(until)} UTC: no request of the call for AmoCrm:SettleFor", until);
                }

                return await calls.AddAsync(c, settled, state, ct);
            case CallEventTypes.RecordingKept or CallEventTypes.Recording when state.Told is not null && !state.LateRecordingNoted
                && state.Link is null && call.RecordingUrl is not null:
                await store.SaveCallStateAsync(c.Id, call.Id, JsonSerializer.Serialize(state with { LateRecordingNoted = true }), ct);
                return ConnectorOutcome.Done($"the recording came after the call was added ({state.Told}): amoCRM cannot update a call, so it is not sent");
            default:
                return ConnectorOutcome.Done(state.Told is { } told ? $"nothing to do: {told}" : "nothing to do");
        }
    }

    internal static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
