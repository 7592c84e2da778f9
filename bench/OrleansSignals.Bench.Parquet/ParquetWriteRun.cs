using System.Diagnostics;
using System.Text.Json;
using OrleansSignals.Exports.Formats;

namespace OrleansSignals.Bench.Parquet;

/// <summary>The child process: writes the file once, through the exports' <see cref="IRowWriter"/> of the chosen writer.</summary>
internal static class ParquetWriteRun
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var random = new Random(42);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        await using (var stream = new FileStream(options.File, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
        await using (var writer = Open(options, stream))
        {
            for (long i = 0; i < options.Rows; i++)
            {
                LifecycleRows.Append(writer, i, random);
                await writer.EndRowAsync(CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        stopwatch.Stop();
        using var process = Process.GetCurrentProcess();
        // On Linux PeakWorkingSet64 is VmHWM: the process's peak resident set.
        var result = new RunResult(
            options.Rows,
            stopwatch.Elapsed.TotalSeconds,
            new FileInfo(options.File).Length,
            process.PeakWorkingSet64,
            GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore,
            process.TotalProcessorTime.TotalSeconds);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static IRowWriter Open(BenchOptions options, Stream stream) => options.Writer switch
    {
        // Ours exactly as the exports open it.
        BenchWriter.Ours => RowWriterFactory.Create(ExportFormat.Parquet, options.Codec, LifecycleRows.Schema, stream),
        BenchWriter.ParquetNet => new ParquetNetRowWriter(stream, LifecycleRows.Schema, options.Codec,
            options.RowGroupRows is { } rows ? new ParquetFileOptions { RowGroupRows = rows } : null),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Writer, "DuckDB runs in Node."),
    };
}
