using Spectre.Console;

namespace OrleansSignals.Cli.Output;

/// <summary>Standard output for results, standard error for errors, both through Spectre.Console.</summary>
public static class Terminal
{
    // Piped output would otherwise wrap at Spectre's fallback width of 80 columns, splitting ids and paths.
    private const int RedirectedWidth = 240;

    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected) console.Profile.Width = RedirectedWidth;
        return console;
    }
}
