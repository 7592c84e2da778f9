using System.CommandLine;
using OrleansSignals.Cli.Api;
using OrleansSignals.Cli.Output;
using Spectre.Console;

namespace OrleansSignals.Cli.Commands;

/// <summary><c>signals export --dataset D --format F [--compression C] [--from T] [--to T] [--wait]</c>.</summary>
public static class ExportCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create(ConnectionOptions connection)
    {
        var dataset = new Option<string>("--dataset", "-d")
        {
            Description = "insight-snapshot, lifecycle-event-history, events, enrichment-leads or person-work-history",
            Required = true,
        };
        var format = new Option<string>("--format", "-f") { Description = "csv, jsonl or parquet", Required = true };
        var compression = new Option<string?>("--compression", "-c") { Description = "none (default) or gzip; Parquet also snappy, zstd and brotli" };
        var from = Timestamp("--from", "Start of the range, inclusive (ranged datasets), e.g. 2025-01-01T00:00:00Z");
        var to = Timestamp("--to", "End of the range, exclusive (ranged datasets)");
        var wait = new Option<bool>("--wait", "-w") { Description = "Show progress until the run completes; exit non-zero if it fails" };
        var command = new Command("export", "Start an export run") { dataset, format, compression, from, to, wait };
        command.SetGuardedAction(async (parseResult, cancellationToken) =>
        {
            using var client = connection.Client(parseResult);
            var run = await client.CreateExportAsync(
                new NewExport(parseResult.GetValue(dataset)!, parseResult.GetValue(format)!, parseResult.GetValue(compression),
                    parseResult.GetValue(from), parseResult.GetValue(to)),
                cancellationToken);
            Terminal.Out.MarkupLine($"Export [bold]{run.Id}[/] created ({Markup.Escape(run.Dataset)}, {Markup.Escape(run.Format)}, {Markup.Escape(run.Compression)}).");
            if (!parseResult.GetValue(wait)) return ExitCodes.Ok;
            run = await WaitAsync(client, run, cancellationToken);
            return Report(run);
        });
        return command;
    }

    private static async Task<ExportRun> WaitAsync(SignalsApiClient client, ExportRun run, CancellationToken cancellationToken)
    {
        await Terminal.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(run), maxValue: 100);
                while (!run.IsFinished)
                {
                    await Task.Delay(PollInterval, cancellationToken);
                    run = await client.GetExportAsync(run.Id, cancellationToken);
                    task.Description = Describe(run);
                    task.Value = run.Status == "completed" ? 100 : Math.Clamp(run.Progress * 100, 0, 100);
                }
                task.StopTask();
            });
        return run;
    }

    private static string Describe(ExportRun run) =>
        Markup.Escape($"{run.Dataset} {run.Format} {run.Status}: {run.Rows:N0} rows, {Sizes.Format(run.Bytes)}");

    private static int Report(ExportRun run)
    {
        if (run.Status == "failed")
        {
            ErrorReport.Message($"Export {run.Id} failed: {run.Error ?? "(no error recorded)"}");
            return ExitCodes.Failed;
        }
        var console = Terminal.Out;
        console.MarkupLine($"Export [bold]{run.Id}[/] [green]completed[/]");
        console.WriteLine($"rows: {run.Rows}");
        console.WriteLine($"bytes: {run.Bytes} ({Sizes.Format(run.Bytes)})");
        console.WriteLine($"files: {run.Files.Count}");
        var table = new Table().AddColumns("location", "rows", "bytes");
        foreach (var file in run.Files) table.AddRow(Markup.Escape(file.Location), file.Rows.ToString("N0"), Sizes.Format(file.Bytes));
        console.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>An ISO 8601 timestamp option whose error names the option and the expected form, not a .NET type.</summary>
    private static Option<DateTimeOffset?> Timestamp(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            // ISO 8601 only: "01/02/2025" would be read as 2 January by some and 1 February by others.
            if (text.Length >= 10 && text[4] == '-' && text[7] == '-'
                && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)) return at.ToUniversalTime();
            result.AddError($"{name}: '{text}' is not a timestamp; use ISO 8601, e.g. 2025-01-01T00:00:00Z");
            return null;
        },
    };
}
