using Spectre.Console;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>Consoles for the CLI's in-process commands: plain text, no colours, no prompts.</summary>
internal static class TestConsoles
{
    /// <summary>Writes what the user would read to <paramref name="output"/>.</summary>
    public static IAnsiConsole Plain(StringWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(output),
    });

    /// <summary>Shows nothing.</summary>
    public static IAnsiConsole Quiet() => Plain(new StringWriter());
}
