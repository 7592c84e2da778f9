using System.Diagnostics;

namespace OrleansSignals.Signals.Pipeline;

/// <summary>
/// The time budget of one slice of work on a run. The first unit always runs (a run always moves forward); later
/// units run while the budget lasts.
/// </summary>
public sealed class Slice(TimeSpan budget)
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private int _units;

    public bool TryTakeUnit()
    {
        if (_units > 0 && _watch.Elapsed >= budget) return false;
        _units++;
        return true;
    }
}
