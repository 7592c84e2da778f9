using System.Diagnostics;
using System.Globalization;

namespace OrleansSignals.Bench.Exports;

/// <summary>
/// The machine is shared: before a timed run, wait until the 1-minute load average is under the limit
/// (at most <c>maxWait</c>), and report the load the run started with.
/// </summary>
public static class LoadGate
{
    public static async Task<double> WaitAsync(double limit, TimeSpan maxWait)
    {
        var waited = Stopwatch.StartNew();
        var load = Current();
        while (load >= limit && waited.Elapsed < maxWait)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            load = Current();
        }
        if (load >= limit) Console.Error.WriteLine($"  load {load:0.00} still >= {limit} after {waited.Elapsed.TotalSeconds:0} s; running anyway");
        else if (waited.Elapsed > TimeSpan.FromSeconds(1)) Console.Error.WriteLine($"  waited {waited.Elapsed.TotalSeconds:0} s for load {load:0.00}");
        return load;
    }

    public static double Current() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
