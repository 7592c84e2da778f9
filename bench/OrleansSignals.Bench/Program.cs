using OrleansSignals.Bench;

// Benchmarks that drive a running host over HTTP, the way clients do. See bench/README.md.
return args.FirstOrDefault() switch
{
    "ingest" => await IngestBenchmark.RunAsync(args[1..]),
    "seed" => await SeedForLatency.RunAsync(args[1..]),
    "failover" => await FailoverBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage:
          OrleansSignals.Bench ingest --url URL --admin-token T --pg CONNSTR [--accounts 100000] [--events 1000000] [--batch 10000] [--concurrency 4] [--spread-hours 240]
          OrleansSignals.Bench seed   --url URL --admin-token T [--accounts 100000]   (prints the API key; for wrk)
          OrleansSignals.Bench failover --survivor URL --victim URL --victim-pid PID --api-key K [--accounts 100000] [--concurrency 64]
        """);
    return 2;
}
