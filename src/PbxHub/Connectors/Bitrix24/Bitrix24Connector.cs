using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Connectors.Bitrix24;

/// <summary>
/// Feeds a Bitrix24 portal through its external telephony (docs/connectors.md#bitrix24): each event brings the portal up
/// to what the call record says, from the calls' state kept per connector: register once (its <c>EXTERNAL_CALL_ID</c> is
/// PbxHub's call id), show the card to each employee rung, hide it from the others once one answers, finish once the
/// ended call has settled (<see cref="Bitrix24Finish"/>), and attach the recording after <c>finish</c>, as Bitrix24 requires.
/// </summary>
internal sealed class Bitrix24Connector(
    Bitrix24Client client, Bitrix24Events events, ConnectorClicks clicks, Bitrix24Employees employees, ConnectorStore store, AccountDirectory accounts,
    Recordings.CrmRecordingLinks recordings, Bitrix24Finish finish) : ICrmConnector
{
    public static ConnectorDescriptor Descriptor { get; } = new(
        "bitrix24", typeof(Bitrix24Connector),
        services =>
        {
            // The portal's address comes from ONAPPINSTALL: it gets the webhooks' guard against blocked networks.
            services.AddHttpClient(Bitrix24Client.ClientName).ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(30))
                .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
                {
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = sp.GetRequiredService<Delivery.WebhookDestinations>().ConnectAsync,
                });
            services.AddSingleton<Bitrix24Client>().AddSingleton<Bitrix24Events>().AddSingleton<Bitrix24ClickToCall>().AddSingleton<Bitrix24Employees>()
                .AddSingleton<Bitrix24Finish>().AddSingleton<Bitrix24Connector>();
        },
        Bitrix24Options.Problems);

    public Task<IResult> ReceiveAsync(ConnectorOptions connector, HttpRequest request, CancellationToken ct) => events.ReceiveAsync(connector, request, ct);

    public Task<IResult> InstallAsync(ConnectorOptions connector, HttpRequest request, CancellationToken ct) => Task.FromResult(Bitrix24Events.InstallPage(connector));

    public Task<EmployeeImport> ImportEmployeesAsync(ConnectorOptions connector, CancellationToken ct) => employees.ImportAsync(connector, ct);

    public async Task<ConnectorOutcome> DeliverAsync(ConnectorOptions c, ConnectorEvent e, CancellationToken ct)
    {
        var (stored, call, leg) = e;
        var run = new Bitrix24Steps(client, c, store, call.Id,
            JsonSerializer.Deserialize<Bitrix24CallState>(await store.CallStateAsync(c.Id, call.Id, ct) ?? "{}")!);

        if (stored.Type == CallEventTypes.Ended && !run.State.Finished)
        {
            // One finish per call in Bitrix24: told once the call is quiet, from its record as it is then (late events included).
            (call, var wait) = await finish.SettledAsync(c, call, ct);
            if (wait is { } until)
            {
                return ConnectorOutcome.Wait(
                    $"finish waits until {until.UtcDateTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} UTC: no request of the call for Bitrix24:SettleFor", until);
            }
        }
        else if (!await finish.NoteLateChangeAsync(c, run, call, ct))
        {
            return run.Outcome;
        }

        if (run.State.CallId is null && stored.Type == CallEventTypes.Started && call.Direction != Directions.Outbound
            && call.Legs.Count == 0 && call.EndedAt is null)
        {
            // Registered with the employee first rung: the call's next event names one (or its end falls back to DefaultUser).
            return ConnectorOutcome.Done("waiting for the first employee rung");
        }

        if (call.Line is { } line && !await run.LineAsync(line.Number ?? line.Raw, ct))
        {
            return run.Outcome;
        }

        var asked = run.State.CallId is null ? await clicks.AdoptAsync(c, call, ct) : null;
        if (asked?.CallId is { } clicked)
        {
            // A click in Bitrix24 placed this call: the portal registered it already, under its own CALL_ID.
            await run.AdoptAsync(clicked, ct);
        }

        if (run.State.CallId is null)
        {
            if (!await run.RegisterAsync(await RegisterParamsAsync(c, call, asked, ct), ct))
            {
                return run.Outcome;
            }

            if (asked is { CallId: null })
            {
                await clicks.TakenAsync(c, call, asked, ct);
            }
        }

        // A card is shown or hidden only before the finish (an event that arrived late is past it); the finish first hides
        // it from those the record says did not take the call, so the order holds however the events came.
        var done = run.State.Finished || stored.Type switch
        {
            CallEventTypes.LegRinging when c.EmployeeOf(leg?.Party) is { } user && !run.State.Shown.Contains(user) => await run.ShowAsync(user, ct),
            CallEventTypes.Answered => await HideOthersAsync(run, [c.EmployeeOf(call.AnsweredBy)], ct),
            CallEventTypes.Ended => (call.AnsweredAt is null || await HideOthersAsync(run, [c.EmployeeOf(call.AnsweredBy), c.EmployeeOf(call.EndedWith)], ct))
                && await run.FinishAsync(Bitrix24Finish.Params(c, call), ct),
            _ => true,
        };

        // attachRecord works only once the call is finished: a recording known before the end waits for the finish.
        // PbxHub's kept copy once it has it (call.recording.kept brings the call here again), else the provider's link.
        if (done && run.State.Finished && call.RecordingUrl is { } url)
        {
            done = await run.AttachRecordAsync(() => recordings.ForAsync(call, url, c.RecordingFormat, c.RecordingLinkLifetime, ct), call.Id, ct);
        }

        return run.Outcome;
    }

    private static async Task<bool> HideOthersAsync(Bitrix24Steps run, string?[] keep, CancellationToken ct)
    {
        var others = run.State.Shown.Where(u => !keep.Contains(u) && !run.State.Hidden.Contains(u)).ToList();
        return others.Count == 0 || await run.HideAsync(others, ct);
    }

    /// <param name="callback">The callback form this call answers (registered as <c>TYPE</c> 4 with its CRM entity), or null.</param>
    private async Task<JsonObject> RegisterParamsAsync(ConnectorOptions c, CallRecord call, CrmClick? callback, CancellationToken ct)
    {
        var outbound = call.Direction == Directions.Outbound;
        // The employee first rung, or for an outbound call the one who dialled; else the connector's default user.
        var employee = outbound ? call.From : call.Legs.FirstOrDefault()?.Party;
        var client = outbound ? call.To : call.From;
        var zone = await accounts.FindAsync(call.Account, ct) is { } account && TimeZoneInfo.TryFindSystemTimeZoneById(account.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        var p = User(c, employee);
        p["PHONE_NUMBER"] = client?.Number ?? client?.Raw ?? "";
        p["TYPE"] = callback is not null ? 4 : outbound ? 1 : 2;
        if (callback is { EntityType: { } entityType, EntityId: { } entityId })
        {
            p["CRM_ENTITY_TYPE"] = entityType;
            p["CRM_ENTITY_ID"] = entityId;
        }

        p["CALL_START_DATE"] = TimeZoneInfo.ConvertTime(call.StartedAt, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        p["CRM_CREATE"] = c.Bitrix24.CrmCreate ? 1 : 0;
        p["SHOW"] = 0;
        p["EXTERNAL_CALL_ID"] = call.Id;
        if (call.Line is { } line)
        {
            p["LINE_NUMBER"] = line.Number ?? line.Raw;
        }

        return p;
    }

    /// <summary><c>USER_ID</c> of a mapped employee, else an extension as <c>USER_PHONE_INNER</c>, else the default user.</summary>
    internal static JsonObject User(ConnectorOptions c, Party? party) =>
        c.EmployeeOf(party) is { } user ? new JsonObject { ["USER_ID"] = int.Parse(user, System.Globalization.CultureInfo.InvariantCulture) }
        : party?.Extension is { } inner ? new JsonObject { ["USER_PHONE_INNER"] = inner }
        : Bitrix24Steps.DefaultUser(c);
}
