using Spectre.Console;

namespace Sluice.Cli.Output;

/// <summary>Spectre consoles over Sluice's writers, drawn the same way by every verb.</summary>
internal static class Consoles
{
    // Redirected output has no width; a wide virtual console keeps rows on one line for files
    // and pagers instead of wrapping cells at 80 columns.
    private const int RedirectedWidth = 4096;

    /// <summary>A console writing to <paramref name="output"/>: colours on a terminal, plain text otherwise.</summary>
    public static IAnsiConsole For(TextWriter output, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!isTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
