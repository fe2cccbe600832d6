using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PbxHub.Connectors.Bitrix24;

/// <summary>
/// The portal's application events at <c>/connectors/{id}/events</c>: <c>ONAPPINSTALL</c> brings the tokens and the
/// <c>application_token</c>; every later event must carry that token (a forged one is refused and nothing is done).
/// </summary>
internal sealed partial class Bitrix24Events(Bitrix24Client client, ConnectorStore store, Bitrix24ClickToCall clicks, TimeProvider time, ILogger<Bitrix24Events> logger)
{
    public async Task<IResult> ReceiveAsync(ConnectorOptions c, HttpRequest request, CancellationToken ct)
    {
        var f = await FieldsAsync(request, ct);
        var name = f.GetValueOrDefault("event")?.ToUpperInvariant();
        var token = f.GetValueOrDefault("auth[application_token]");
        var installed = await client.SecretsAsync(c.Id, ct);
        if (name == "ONAPPINSTALL")
        {
            return await InstallAsync(c, f, installed, ct);
        }

        if (installed is null || token is null || !Security.Secrets.AreEqual(token, installed.ApplicationToken))
        {
            LogForged(logger, c.Id, name ?? "(none)");
            return TypedResults.Problem(statusCode: 401, title: "Unknown application_token",
                detail: "The event does not carry the application_token ONAPPINSTALL gave: it was ignored.");
        }

        switch (name)
        {
            case "ONAPPUNINSTALL":
                await store.ForgetAsync(c.Id, ct);
                LogUninstalled(logger, c.Id);
                return TypedResults.Ok(new { uninstalled = true });
            case "ONEXTERNALCALLSTART":
                return await clicks.StartAsync(c, f, ct);
            case "ONEXTERNALCALLBACKSTART":
                return await clicks.CallbackAsync(c, f, ct);
            default:
                return TypedResults.Ok(new { ignored = name });
        }
    }

    private async Task<IResult> InstallAsync(ConnectorOptions c, Dictionary<string, string> f, Bitrix24Secrets? installed, CancellationToken ct)
    {
        string? Auth(string key) => f.GetValueOrDefault($"auth[{key}]") is { Length: > 0 } v ? v : null;
        if (Auth("access_token") is not { } access || Auth("refresh_token") is not { } refresh || Auth("client_endpoint") is not { } endpoint
            || Auth("application_token") is not { } appToken || !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            return TypedResults.Problem(statusCode: 400, title: "Incomplete ONAPPINSTALL",
                detail: "auth[access_token], auth[refresh_token], auth[client_endpoint] and auth[application_token] are required.");
        }

        // A reinstall brings new tokens from the same portal; another portal cannot take over an installed connector.
        if (installed?.MemberId is { } member && Auth("member_id") != member)
        {
            LogForged(logger, c.Id, "ONAPPINSTALL");
            return TypedResults.Problem(statusCode: 401, title: "Another portal",
                detail: "The connector is installed on another portal: uninstall it there first.");
        }

        var lifetime = int.TryParse(Auth("expires_in"), out var s) ? s : 3600;
        await client.SaveAsync(c.Id, new Bitrix24Secrets(access, refresh, time.GetUtcNow().AddSeconds(lifetime), endpoint, Auth("domain"), Auth("member_id"), appToken), ct);
        LogInstalled(logger, c.Id, Auth("domain") ?? endpoint);
        return TypedResults.Ok(new { installed = true });
    }

    /// <summary>The event's fields as Bitrix24 sends them (a form: <c>auth[application_token]=…</c>), or the same from JSON.</summary>
    private static async Task<Dictionary<string, string>> FieldsAsync(HttpRequest request, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync(ct))
            {
                fields[key] = value.ToString();
            }
        }
        else if (request.HasJsonContentType())
        {
            try
            {
                Flatten(await JsonNode.ParseAsync(request.Body, cancellationToken: ct), "", fields);
            }
            catch (JsonException)
            {
                // Not an event: it has no token, so it is refused as forged.
            }
        }

        return fields;
    }

    private static void Flatten(JsonNode? node, string prefix, Dictionary<string, string> fields)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, child) in o)
            {
                Flatten(child, prefix.Length == 0 ? key : $"{prefix}[{key}]", fields);
            }
        }
        else if (node is not null)
        {
            fields[prefix] = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
        }
    }

    public static IResult InstallPage(ConnectorOptions c) => TypedResults.Content(
        $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>PbxHub</title>
        <script src="//api.bitrix24.com/api/v1/"></script></head>
        <body><p>PbxHub: connector {{System.Net.WebUtility.HtmlEncode(c.Id)}}. Finishing the installation…</p>
        <script>BX24.init(function () { BX24.installFinish(); });</script></body></html>
        """, "text/html; charset=utf-8");

    [LoggerMessage(Level = LogLevel.Information, Message = "Bitrix24 connector {ConnectorId}: installed on {Portal}")]
    private static partial void LogInstalled(ILogger logger, string connectorId, string portal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bitrix24 connector {ConnectorId}: uninstalled; its tokens are forgotten")]
    private static partial void LogUninstalled(ILogger logger, string connectorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bitrix24 connector {ConnectorId}: {Event} without the installed application_token refused")]
    private static partial void LogForged(ILogger logger, string connectorId, string @event);
}
