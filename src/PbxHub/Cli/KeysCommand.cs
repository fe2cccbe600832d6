using System.CommandLine;
using PbxHub.Api;
using PbxHub.Storage;

namespace PbxHub.Cli;

internal static class KeysCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "What the key is for", DefaultValueFactory = _ => "default" };
        var create = new Command("create", "Create an API key; it is shown once and stored hashed") { name };
        create.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var key = ApiKeyValidator.NewKey();
            var id = "key_" + Calls.StableIds.Hash(key)[..12];
            await app.Services.GetRequiredService<IApiKeyStore>().AddAsync(
                id, parse.GetValue(name)!, ApiKeyValidator.Hash(key), app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            Console.WriteLine(key);
            Console.Error.WriteLine($"API key {id} created. Send it as 'Authorization: Bearer <key>'; it is not shown again.");
            return 0;
        });
        var command = new Command("keys", "Manage API keys") { create };
        return command;
    }
}
