using System.CommandLine;
using System.Globalization;
using OrleansSignals.Cli.Output;
using Spectre.Console;

namespace OrleansSignals.Cli.Commands;

/// <summary><c>signals exports list</c>: the workspace's runs, newest first, as a table; <c>signals exports show ID</c>: one run in full.</summary>
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
        return new Command("exports", "Export runs") { list, Show(connection) };
    }

    private static Command Show(ConnectionOptions connection)
    {
        var id = new Argument<string>("id") { Description = "The export run id" };
        var show = new Command("show", "Show one export run: its status, range, files and any error") { id };
        show.SetGuardedAction(async (parseResult, cancellationToken) =>
        {
            using var client = connection.Client(parseResult);
            var run = await client.GetExportAsync(parseResult.GetValue(id)!, cancellationToken);
            var grid = new Grid().AddColumn().AddColumn();
            void Row(string name, string? value) => grid.AddRow($"[bold]{name}[/]", value ?? "-");
            Row("id", run.Id.ToString());
            Row("dataset", Markup.Escape(run.Dataset));
            Row("format", Markup.Escape($"{run.Format} ({run.Compression})"));
            Row("status", Status(run.Status) + (run.Status is "pending" or "running" ? $" {run.Progress:P0}" : ""));
            if (run.Error is not null) Row("error", $"[red]{Markup.Escape(run.Error)}[/]");
            Row("range", run.From is null && run.To is null ? "current state" : $"{Time(run.From)} to {Time(run.To)}");
            Row("rows", run.Rows.ToString("N0", CultureInfo.InvariantCulture));
            Row("bytes", $"{run.Bytes.ToString("N0", CultureInfo.InvariantCulture)} ({Sizes.Format(run.Bytes)})");
            Row("created (UTC)", Time(run.CreatedAt));
            Row("started (UTC)", Time(run.StartedAt));
            Row("completed (UTC)", Time(run.CompletedAt));
            if (run.Manifest is not null) Row("manifest", Markup.Escape(run.Manifest));
            Terminal.Out.Write(grid);
            if (run.Files.Count > 0)
            {
                var files = new Table().AddColumns("location", "rows", "bytes", "sha256");
                foreach (var file in run.Files)
                    files.AddRow(Markup.Escape(file.Location), file.Rows.ToString("N0", CultureInfo.InvariantCulture), Sizes.Format(file.Bytes), file.Sha256);
                Terminal.Out.Write(files);
            }
            return ExitCodes.Ok;
        });
        return show;
    }

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";

    private static string Status(string status) => status switch
    {
        "completed" => "[green]completed[/]",
        "failed" => "[red]failed[/]",
        _ => Markup.Escape(status),
    };
}
