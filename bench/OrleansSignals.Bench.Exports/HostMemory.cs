namespace OrleansSignals.Bench.Exports;

/// <summary>
/// Peak resident memory of the host process over one run: the kernel's high-water mark (VmHWM),
/// reset before the run by writing 5 to /proc/PID/clear_refs (Linux 4.0+).
/// </summary>
public sealed class HostMemory(int pid)
{
    public void ResetPeak() => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    public long PeakBytes() => Read("VmHWM:");

    public long CurrentBytes() => Read("VmRSS:");

    private long Read(string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
    }
}
