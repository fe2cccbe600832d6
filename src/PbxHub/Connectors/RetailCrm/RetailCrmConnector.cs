using System.Text.Json;
using PbxHub.Calls;

namespace PbxHub.Connectors.RetailCrm;

/// <summary>
/// Feeds a RetailCRM system through a telephony integration module (docs/connectors/retailcrm.md): the module is
/// registered before the first delivery that needs it (and again when what it should say changed), a call's events go
/// as <c>telephony/call/event</c> (<c>in</c> per employee rung, <c>out</c>, <c>hangup</c>), and the ended call, once
/// settled, goes once to <c>telephony/calls/upload</c>, batched with the calls due with it.
/// </summary>
internal sealed class RetailCrmConnector(
    RetailCrmClient client, RetailCrmModule module, RetailCrmMakeCall makeCall, RetailCrmEmployees employees,
    ConnectorStore store, ConnectorClicks clicks, RetailCrmUploadStep upload) : ICrmConnector
{
    public static ConnectorDescriptor Descriptor { get; } = new(
        "retailcrm", typeof(RetailCrmConnector),
        services =>
        {
            services.AddHttpClient(RetailCrmClient.ClientName).ConfigureHttpClient(h => h.Timeout = TimeSpan.FromSeconds(30));
            services.AddSingleton<RetailCrmClient>().AddSingleton<RetailCrmModule>().AddSingleton<RetailCrmUploads>().AddSingleton<RetailCrmMakeCall>()
                .AddSingleton<RetailCrmEmployees>().AddSingleton<RetailCrmUploadStep>().AddSingleton<RetailCrmConnector>();
        },
        RetailCrmOptions.Problems);

    public Task<IResult> ReceiveAsync(ConnectorOptions connector, HttpRequest request, CancellationToken ct) => makeCall.ReceiveAsync(connector, request, ct);

    /// <summary><c>/connectors/{id}/install</c>: registers the module now and answers what it says.</summary>
    public async Task<IResult> InstallAsync(ConnectorOptions connector, HttpRequest request, CancellationToken ct)
    {
        var (_, failed) = await module.EnsureAsync(connector, null, force: true, ct);
        if (failed is not null)
        {
            return TypedResults.Problem(statusCode: 502, title: "The module was not registered", detail: failed.Error);
        }

        var secrets = await module.SecretsAsync(connector.Id, ct);
        return TypedResults.Ok(new { registered = true, system = connector.RetailCrm.BaseUrl, integrationModule = JsonDocument.Parse(secrets!.Registered!).RootElement });
    }

    public ConnectorInstallation Installation(ConnectorOptions connector, string? secrets) =>
        secrets is not null && JsonSerializer.Deserialize<RetailCrmSecrets>(secrets) is { Registered: not null } s
            ? new(true, s.System) : new(false, null);

    public Task<EmployeeImport> ImportEmployeesAsync(ConnectorOptions connector, CancellationToken ct) => employees.ImportAsync(connector, ct);

    public Task<string?> RemovedAsync(ConnectorOptions connector, CancellationToken ct) => module.DeactivateAsync(connector, ct);

    public async Task<ConnectorOutcome> DeliverAsync(ConnectorOptions c, ConnectorEvent e, CancellationToken ct)
    {
        var (stored, call, leg) = e;
        var steps = new List<string>();
        string Steps() => steps.Count == 0 ? "nothing to do" : string.Join("; ", steps);
        var (registered, failed) = await module.EnsureAsync(c, RetailCrmCalls.Line(call), force: false, ct);
        if (failed is not null)
        {
            return failed;
        }

        if (registered is not null)
        {
            steps.Add(registered);
        }

        var state = JsonSerializer.Deserialize<RetailCrmCallState>(await store.CallStateAsync(c.Id, call.Id, ct) ?? "{}")!;
        async Task<bool> SendAsync(string type, IReadOnlyList<Party> who, RetailCrmCallState next, string? hangup = null)
        {
            var answer = await client.PostAsync(c, "telephony/call/event",
                new Dictionary<string, string> { ["event"] = RetailCrmCalls.Event(c, call, type, who, hangup).ToJsonString(Calls.CallJson.Options) }, ct);
            var step = $"telephony/call/event {type} {string.Join(",", who.Select(p => RetailCrmCalls.Code(c, p) ?? "-"))}{(hangup is null ? "" : " " + hangup)}".TrimEnd();
            if (!answer.Ok)
            {
                failed = answer.Outcome(string.Join("; ", [.. steps, step + " failed"]));
                return false;
            }

            await store.SaveCallStateAsync(c.Id, call.Id, JsonSerializer.Serialize(next), ct);
            state = next;
            steps.Add(step);
            return true;
        }

        var outbound = call.Direction == Directions.Outbound;
        // Not after the hangup was told: a card popped up then would stay. The record of an event can already show the end
        // (a provider's requests folded together), so only what RetailCRM was told decides.
        if (!state.Hangup && stored.Type is CallEventTypes.Started or CallEventTypes.LegRinging or CallEventTypes.Answered)
        {
            if (outbound && !state.Out && call.From is { } caller)
            {
                if (await clicks.AdoptAsync(c, call, ct) is not null)
                {
                    steps.Add("the call placed by makeCallUrl");
                }

                if (!await SendAsync("out", [caller], state with { Out = true }))
                {
                    return failed!;
                }
            }
            else if (!outbound && stored.Type == CallEventTypes.LegRinging && leg?.Party is { } rung
                && RetailCrmCalls.Code(c, rung) is { } code && !state.In.Contains(code)
                && !await SendAsync("in", [rung], state with { In = [.. state.In, code] }))
            {
                return failed!;
            }
        }

        if (stored.Type != CallEventTypes.Ended || state.Uploaded is not null)
        {
            return ConnectorOutcome.Done(Steps());
        }

        if (!state.Hangup)
        {
            // The employees whose cards RetailCRM shows: who had the call, else everyone it rang.
            List<Party> who = outbound ? [.. new[] { call.From }.OfType<Party>()]
                : call.AnsweredAt is not null ? [.. new[] { call.EndedWith ?? call.AnsweredBy }.OfType<Party>()]
                : [.. call.Legs.Select(l => l.Party).DistinctBy(p => p.Key)];
            if (!await SendAsync("hangup", who, state with { Hangup = true }, RetailCrmCalls.HangupStatus(call.Outcome)))
            {
                return failed!;
            }
        }

        // One upload per call in RetailCRM: from the record once the call is quiet (its late events included).
        var (outcome, told) = await upload.SendAsync(c, call, steps, ct);
        if (told is not null)
        {
            await store.SaveCallStateAsync(c.Id, call.Id, JsonSerializer.Serialize(state with { Uploaded = told }), ct);
        }

        return outcome;
    }
}
