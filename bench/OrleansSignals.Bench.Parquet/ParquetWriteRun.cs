using System.Diagnostics;
using System.Text.Json;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Bench.Parquet;

/// <summary>The child process: writes the file once with <see cref="ParquetFileWriter"/>.</summary>
internal static class ParquetWriteRun
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var random = new Random(42);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        await using (var stream = new FileStream(options.File, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
        await using (var writer = new ParquetFileWriter(stream, LifecycleRows.Schema, new ParquetWriterOptions { Compression = options.Codec }))
        {
            for (long i = 0; i < options.Rows; i++)
            {
                LifecycleRows.Append(writer, i, random);
                await writer.EndRowAsync();
            }

            await writer.CompleteAsync();
        }

        stopwatch.Stop();
        using var process = Process.GetCurrentProcess();
        var result = new RunResult(
            options.Rows,
            stopwatch.Elapsed.TotalSeconds,
            new FileInfo(options.File).Length,
            process.PeakWorkingSet64,
            GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}
