using OrleansSignals.Cli.Api;
using Spectre.Console;

namespace OrleansSignals.Cli.Output;

/// <summary>Prints failures readably on standard error: problem details as title, detail and one line per field error.</summary>
public static class ErrorReport
{
    public static void Problem(ApiProblemException ex)
    {
        var console = Terminal.Error;
        if (ex.Problem is { } problem)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(problem.Title ?? "The request failed.")} [grey](HTTP {ex.Status})[/]");
            if (!string.IsNullOrWhiteSpace(problem.Detail)) console.MarkupLine($"  {Markup.Escape(problem.Detail)}");
            foreach (var (field, messages) in problem.Errors ?? new Dictionary<string, string[]>())
            {
                foreach (var message in messages) console.MarkupLine($"  [yellow]{Markup.Escape(field)}[/]: {Markup.Escape(message)}");
            }
        }
        else
        {
            console.MarkupLine($"[red]error:[/] HTTP {ex.Status}");
            if (!string.IsNullOrWhiteSpace(ex.Body)) console.MarkupLine($"  {Markup.Escape(ex.Body)}");
        }
    }

    public static void Message(string message) =>
        Terminal.Error.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
}
