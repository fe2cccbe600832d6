using System.CommandLine;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Cli;

/// <summary><c>pbxhub emulate retailcrm</c>: a RetailCRM system's API v5 stand-in (docs/connectors/retailcrm.md#the-stand-in).</summary>
internal static partial class EmulateCommand
{
    private static Command RetailCrmCommand(Option<string> urls)
    {
        var apiKey = new Option<string>("--api-key") { Description = "The API key expected in X-API-KEY", DefaultValueFactory = _ => new RetailCrmEmulatorOptions().ApiKey };
        var command = new Command("retailcrm", "A RetailCRM system's API v5 (/api/v5/integration-modules/{code}/edit, telephony/call/event, telephony/calls/upload, users); "
            + "what it was asked: GET /emulator/requests, /emulator/events, /emulator/calls, /emulator/modules/{code}; faults: POST /emulator/down?on=true, "
            + "/emulator/limit?count=N, /emulator/key?value=K; a click: POST /emulator/makecall?code=pbxhub&user=5&phone=79991234567")
        {
            urls, apiKey,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new RetailCrmEmulatorOptions { ApiKey = parse.GetValue(apiKey)! };
            await using var emulator = await RetailCrmEmulator.StartAsync(parse.GetValue(urls)!, options, quiet: false);
            Console.WriteLine($"RetailCRM stand-in at {emulator.BaseUrl}: RetailCrm:BaseUrl={emulator.BaseUrl} RetailCrm:ApiKey={options.ApiKey}");
            return await WaitAsync(emulator.Host, ct);
        });
        return command;
    }
}
