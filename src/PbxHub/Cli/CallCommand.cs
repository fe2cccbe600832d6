using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PbxHub.Cli;

/// <summary><c>pbxhub call</c>: <c>POST /api/v1/calls</c> from the command line; prints the hub's answer.</summary>
internal static class CallCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The hub's base URL", DefaultValueFactory = _ => "http://localhost:5000" };
        var apiKey = new Option<string>("--api-key") { Description = "An API key (default: $PBXHUB_API_KEY)" };
        var account = new Option<string>("--account") { Description = "The account to call through", Required = true };
        var operators = new Option<string[]>("--operator") { Description = "The operator's extension or number; repeat for several", Required = true };
        var client = new Option<string>("--client") { Description = "The number to call", Required = true };
        var option = new Option<string[]>("--option") { Description = "A provider option NAME=VALUE (JSON values: true, 5, {\"type\":\"text\",…}); repeatable" };
        var command = new Command("call", "Place a call through an account's provider (POST /api/v1/calls)") { url, apiKey, account, operators, client, option };
        command.SetAction(async (parse, ct) =>
        {
            var options = new JsonObject();
            foreach (var pair in parse.GetValue(option) ?? [])
            {
                var (name, value) = pair.Split('=', 2) is [var n, var v] ? (n, v) : (pair, "true");
                options[name] = Parse(value);
            }

            var ops = parse.GetValue(operators)!;
            var body = new JsonObject
            {
                ["account"] = parse.GetValue(account),
                ["operator"] = ops.Length == 1 ? ops[0] : new JsonArray(ops.Select(o => (JsonNode)o).ToArray()),
                ["client"] = parse.GetValue(client),
                ["options"] = options,
            };
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(url)!) };
            var key = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("PBXHUB_API_KEY");
            if (key is not null)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await http.PostAsync("/api/v1/calls", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Console.WriteLine($"HTTP {(int)response.StatusCode}");
            Console.WriteLine(text);
            return response.IsSuccessStatusCode ? 0 : 1;
        });
        return command;
    }

    /// <summary>A JSON value where the text is one, else the text as a string.</summary>
    private static JsonNode? Parse(string value)
    {
        try
        {
            return JsonNode.Parse(value);
        }
        catch (System.Text.Json.JsonException)
        {
            return value;
        }
    }
}
