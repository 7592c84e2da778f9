using OrleansSignals.Bench.Signals;

// bench/signals.sh runs this against a PostgreSQL server (docs/benchmarks.md, "Signal pipeline"):
//   pipeline  10M events / 1M persons / 100k accounts, 20 definitions; evaluate + score timed through PipelineRunner
//   attio     delivery to a local Attio: requests per delivered occurrence, and the rate limit held
return args.FirstOrDefault() switch
{
    "pipeline" when args.Length >= 2 => await PipelineBenchmark.RunAsync(args[1], BenchArgs.Parse(args[2..])),
    "attio" when args.Length >= 2 => await AttioBenchmark.RunAsync(args[1], BenchArgs.Parse(args[2..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage:
          OrleansSignals.Bench.Signals pipeline CONNSTR [--events 10000000] [--accounts 100000] [--persons-per-account 10] [--days 90] [--runs 3] [--keep-data]
          OrleansSignals.Bench.Signals attio CONNSTR [--occurrences 1000] [--companies 300] [--scaled-occurrences 100]
        """);
    return 2;
}
