using System.Diagnostics;
using System.Text.Json;

namespace OrleansSignals.Exports.Tests.Parquet.Support;

/// <summary>
/// Reads a Parquet file with DuckDB (tests/tools/duckdb-read.mjs on Node), the independent
/// reader these tests trust: a file our writer produces is right when DuckDB reads it right.
/// </summary>
internal static class DuckDbReader
{
    private static readonly Lazy<string> ToolsDirectory = new(FindToolsDirectory);

    public static async Task<DuckDbFile> ReadAsync(string parquetPath)
    {
        var tools = ToolsDirectory.Value;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(tools, "duckdb-read.mjs"));
        start.ArgumentList.Add(parquetPath);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The Parquet tests need Node.js ('node' on PATH) to run DuckDB.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            if (process.ExitCode != 0)
            {
                throw new DuckDbReadException($"DuckDB could not read {parquetPath} (exit {process.ExitCode}): {await stderr}");
            }

            return new DuckDbFile(JsonDocument.Parse(await stdout).RootElement.Clone());
        }
    }

    private static string FindToolsDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrleansSignals.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"No OrleansSignals.sln above {AppContext.BaseDirectory}; cannot find tests/tools.");
        }

        var tools = Path.Combine(directory.FullName, "tests", "tools");
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "@duckdb", "node-api")))
        {
            throw new InvalidOperationException(
                $"DuckDB for Node is not installed: run `npm ci` in {tools} (it installs @duckdb/node-api from package-lock.json).");
        }

        return tools;
    }
}
