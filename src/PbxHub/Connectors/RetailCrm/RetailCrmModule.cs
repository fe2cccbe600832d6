using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PbxHub.Providers;

namespace PbxHub.Connectors.RetailCrm;

/// <summary>
/// The telephony integration module (<c>POST /api/v5/integration-modules/{code}/edit</c>, docs/connectors/retailcrm.md#registration):
/// registered when it is missing or when what it should say changed (the employee mapping, a new line), before the
/// delivery that needs it. Concurrent deliveries of one connector share one registration.
/// </summary>
internal sealed partial class RetailCrmModule(
    RetailCrmClient client, ConnectorStore store, IOptions<OutboundOptions> outbound, ILogger<RetailCrmModule> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);

    public async Task<RetailCrmSecrets?> SecretsAsync(string connectorId, CancellationToken ct) =>
        await store.SecretsAsync(connectorId, ct) is { } json ? JsonSerializer.Deserialize<RetailCrmSecrets>(json) : null;

    /// <summary>Registers the module if it should say something else than it does (with <paramref name="line"/> among its numbers).</summary>
    /// <returns>The step done (null: nothing to do) or the failure as an outcome.</returns>
    public async Task<(string? Step, ConnectorOutcome? Failed)> EnsureAsync(ConnectorOptions c, string? line, bool force, CancellationToken ct)
    {
        if (outbound.Value.PublicBaseUrl is not { } hub)
        {
            return (null, ConnectorOutcome.Retry("nothing sent",
                $"{OutboundOptions.Section}:PublicBaseUrl is not set: the module's makeCallUrl must be the hub's public address (…/connectors/{c.Id}/events)", null));
        }

        var gate = gates.GetOrAdd(c.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var secrets = await SecretsAsync(c.Id, ct);
            if (secrets is null)
            {
                // The clientId is kept before the first attempt: a retry registers the same one.
                secrets = new RetailCrmSecrets { ClientId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) };
                await SaveAsync(c.Id, secrets, ct);
            }

            if (line is not null && !secrets.Lines.Contains(line))
            {
                secrets = secrets with { Lines = [.. secrets.Lines, line] };
                await SaveAsync(c.Id, secrets, ct);
            }

            var module = Module(c, secrets, hub).ToJsonString(Calls.CallJson.Options);
            // Another system (BaseUrl changed) has no module yet, whatever the last one was told.
            if (!force && module == secrets.Registered && secrets.System == c.RetailCrm.BaseUrl)
            {
                return (null, null);
            }

            var answer = await client.PostAsync(c, $"integration-modules/{Uri.EscapeDataString(c.RetailCrm.Code!)}/edit",
                new Dictionary<string, string> { ["integrationModule"] = module }, ct);
            if (!answer.Ok)
            {
                LogRegisterFailed(logger, c.Id, answer.Text);
                return (null, answer.Outcome("integration-modules/edit"));
            }

            await SaveAsync(c.Id, secrets with { Registered = module, System = c.RetailCrm.BaseUrl }, ct);
            LogRegistered(logger, c.Id, c.RetailCrm.Code!, c.RetailCrm.BaseUrl!);
            return ($"integration-modules/{c.RetailCrm.Code}/edit", null);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The module as last registered, now with <c>active: false</c>, so RetailCRM stops offering PbxHub's calls and sending
    /// <c>makeCallUrl</c> requests to a connector that is gone; the problem, if RetailCRM refused.
    /// </summary>
    public async Task<string?> DeactivateAsync(ConnectorOptions c, CancellationToken ct)
    {
        if (await SecretsAsync(c.Id, ct) is not { Registered: { } registered } secrets || secrets.System != c.RetailCrm.BaseUrl
            || JsonNode.Parse(registered) is not JsonObject module)
        {
            return null;
        }

        module["active"] = false;
        var answer = await client.PostAsync(c, $"integration-modules/{Uri.EscapeDataString(c.RetailCrm.Code!)}/edit",
            new Dictionary<string, string> { ["integrationModule"] = module.ToJsonString(Calls.CallJson.Options) }, ct);
        if (!answer.Ok)
        {
            return "deactivating the module: " + answer.Text;
        }

        LogDeactivated(logger, c.Id, c.RetailCrm.Code!, c.RetailCrm.BaseUrl!);
        return null;
    }

    /// <summary>The <c>integrationModule</c> PbxHub registers: its telephony with makeCallUrl, the codes and the lines.</summary>
    internal static JsonObject Module(ConnectorOptions c, RetailCrmSecrets secrets, string hub)
    {
        var r = c.RetailCrm;
        var codes = new JsonArray([.. c.EffectiveEmployees.Where(e => RetailCrmOptions.IsUserId(e.Value)).OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => (JsonNode)new JsonObject { ["userId"] = int.Parse(e.Value, System.Globalization.CultureInfo.InvariantCulture), ["code"] = e.Key })]);
        var telephony = new JsonObject
        {
            ["makeCallUrl"] = $"{hub.TrimEnd('/')}/connectors/{c.Id}/events",
            // PbxHub keeps the codes in step with its mapping: edited in RetailCRM they would be overwritten.
            ["allowEdit"] = false,
            ["inputEventSupported"] = true,
            ["outputEventSupported"] = true,
            ["hangupEventSupported"] = true,
            ["additionalCodes"] = codes,
        };
        if (r.Site is { Length: > 0 } site)
        {
            telephony["externalPhones"] = new JsonArray([.. secrets.Lines.Order(StringComparer.Ordinal)
                .Select(l => (JsonNode)new JsonObject { ["siteCode"] = site, ["externalPhone"] = l })]);
        }

        var module = new JsonObject
        {
            ["code"] = r.Code, ["integrationCode"] = r.Code, ["active"] = true, ["name"] = r.ModuleName, ["clientId"] = secrets.ClientId,
            ["baseUrl"] = hub.TrimEnd('/'),
        };
        if (r.Logo is { Length: > 0 } logo)
        {
            module["logo"] = logo;
        }

        module["integrations"] = new JsonObject { ["telephony"] = telephony };
        return module;
    }

    private Task SaveAsync(string connectorId, RetailCrmSecrets secrets, CancellationToken ct) =>
        store.SaveSecretsAsync(connectorId, JsonSerializer.Serialize(secrets), ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "RetailCRM connector {ConnectorId}: module {Code} registered on {System}")]
    private static partial void LogRegistered(ILogger logger, string connectorId, string code, string system);

    [LoggerMessage(Level = LogLevel.Information, Message = "RetailCRM connector {ConnectorId} removed: module {Code} deactivated on {System}")]
    private static partial void LogDeactivated(ILogger logger, string connectorId, string code, string system);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RetailCRM connector {ConnectorId}: registering the module failed: {Problem}")]
    private static partial void LogRegisterFailed(ILogger logger, string connectorId, string problem);
}
