using System.CommandLine;
using System.Globalization;
using OrleansSignals.Cli.Output;
using Spectre.Console;

namespace OrleansSignals.Cli.Commands;

/// <summary><c>signals exports list</c>: the workspace's runs, newest first, as a table.</summary>
public static class ExportsCommand
{
    public static Command Create(ConnectionOptions connection)
    {
        var list = new Command("list", "List export runs, newest first");
        list.SetGuardedAction(async (parseResult, cancellationToken) =>
        {
            using var client = connection.Client(parseResult);
            var runs = await client.ListExportsAsync(cancellationToken);
            if (runs.Count == 0)
            {
                Terminal.Out.WriteLine("No exports yet.");
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("id", "created (UTC)", "dataset", "format", "compression", "status", "rows", "bytes", "files");
            foreach (var run in runs.OrderByDescending(r => r.CreatedAt))
            {
                table.AddRow(
                    run.Id.ToString(),
                    run.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    Markup.Escape(run.Dataset),
                    Markup.Escape(run.Format),
                    Markup.Escape(run.Compression),
                    Status(run.Status),
                    run.Rows.ToString("N0", CultureInfo.InvariantCulture),
                    Sizes.Format(run.Bytes),
                    run.Files.Count.ToString(CultureInfo.InvariantCulture));
            }
            Terminal.Out.Write(table);
            return ExitCodes.Ok;
        });
        return new Command("exports", "Export runs") { list };
    }

    private static string Status(string status) => status switch
    {
        "completed" => "[green]completed[/]",
        "failed" => "[red]failed[/]",
        _ => Markup.Escape(status),
    };
}
