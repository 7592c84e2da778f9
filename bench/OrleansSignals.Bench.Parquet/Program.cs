using OrleansSignals.Bench.Parquet;

// Parent: runs every (writer, codec) in fresh processes and prints a markdown report.
// Child (--child): writes one file with this writer and prints one JSON line.
var options = BenchOptions.Parse(args);
return options.Child
    ? await ParquetWriteRun.RunAsync(options)
    : await BenchmarkOrchestrator.RunAsync(options);
