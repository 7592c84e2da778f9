using System.CommandLine;
using OrleansSignals.Cli.Output;
using Spectre.Console;

namespace OrleansSignals.Cli.Commands;

/// <summary>
/// <c>signals download ID [-o path]</c>: the run's file (several parts arrive as one zip), streamed to
/// disk with a byte progress bar. The file appears under its final name only once complete.
/// </summary>
public static class DownloadCommand
{
    private const int BufferSize = 128 * 1024;

    public static Command Create(ConnectionOptions connection)
    {
        var id = new Argument<Guid>("id") { Description = "The export run id" };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "File to write, or an existing folder to write into (default: the server's file name, in the current folder)",
        };
        var command = new Command("download", "Download a completed export") { id, output };
        command.SetGuardedAction(async (parseResult, cancellationToken) =>
        {
            using var client = connection.Client(parseResult);
            using var response = await client.DownloadAsync(parseResult.GetValue(id), cancellationToken);
            var path = TargetPath(parseResult.GetValue(output), ServerFileName(response, parseResult.GetValue(id)));
            var total = response.Content.Headers.ContentLength;
            var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.part");
            long written = 0;
            try
            {
                await Terminal.Out.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask(Markup.Escape(Path.GetFileName(path)), maxValue: total ?? 1);
                        task.IsIndeterminate = total is null;
                        await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
                        await using var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                        var buffer = new byte[BufferSize];
                        int read;
                        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                        {
                            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                            written += read;
                            if (total is null) task.MaxValue = written;
                            task.Value = written;
                        }
                        task.StopTask();
                    });
                if (total is { } expected && expected != written)
                    throw new CliException($"The download ended after {written} of {expected} bytes; nothing was saved.");
                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
            Terminal.Out.MarkupLine($"Saved [bold]{Markup.Escape(path)}[/] ({written} bytes, {Sizes.Format(written)})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string ServerFileName(HttpResponseMessage response, Guid id)
    {
        var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName;
        name = name?.Trim('"');
        // A presigned S3 URL carries no Content-Disposition: its path ends with the object's name.
        if (string.IsNullOrEmpty(name) && response.RequestMessage?.RequestUri is { } uri) name = Uri.UnescapeDataString(uri.Segments[^1]);
        name = Path.GetFileName(name ?? "");
        return string.IsNullOrEmpty(name) ? $"export_{id}" : name;
    }

    private static string TargetPath(string? output, string serverName)
    {
        if (string.IsNullOrEmpty(output)) return Path.GetFullPath(serverName);
        var full = Path.GetFullPath(output);
        if (Directory.Exists(full)) return Path.Combine(full, serverName);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder)) throw new CliException($"The folder {folder} does not exist.");
        return full;
    }
}
