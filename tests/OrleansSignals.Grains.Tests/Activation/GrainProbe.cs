using System.Collections.Concurrent;

namespace OrleansSignals.Grains.Tests.Activation;

/// <summary>What the test grains report about themselves, per key.</summary>
public sealed class GrainProbe
{
    private readonly ConcurrentDictionary<string, int> _activations = new();
    private readonly ConcurrentDictionary<string, int> _deactivations = new();
    private readonly Dictionary<string, int> _failuresLeft = [];
    private readonly Lock _failuresLock = new();
    private readonly ConcurrentDictionary<string, TurnGate> _gates = new();
    private int _instances;
    private int _running;
    private int _maxRunning;

    /// <summary>Everything the grains did, in order ("activate k", "turn-end k", "deactivate k").</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>The most turns that ran at the same time, over all keys.</summary>
    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int Activations(string key) => _activations.GetValueOrDefault(key);

    public int Deactivations(string key) => _deactivations.GetValueOrDefault(key);

    /// <summary>The next <paramref name="times"/> activations of <paramref name="key"/> throw.</summary>
    public void FailActivations(string key, int times)
    {
        lock (_failuresLock) _failuresLeft[key] = times;
    }

    public TurnGate Gate(string key) => _gates.GetOrAdd(key, _ => new TurnGate());

    internal int NewInstance() => Interlocked.Increment(ref _instances);

    /// <summary>Counts an activation; true when it is to fail.</summary>
    internal bool Activating(string key)
    {
        _activations.AddOrUpdate(key, 1, (_, n) => n + 1);
        Log.Enqueue("activate " + key);
        lock (_failuresLock)
        {
            if (_failuresLeft.GetValueOrDefault(key) == 0) return false;
            _failuresLeft[key]--;
            return true;
        }
    }

    internal void Deactivating(string key)
    {
        _deactivations.AddOrUpdate(key, 1, (_, n) => n + 1);
        Log.Enqueue("deactivate " + key);
    }

    internal void TurnStarted()
    {
        var running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max) { }
    }

    internal void TurnEnded(string key)
    {
        Log.Enqueue("turn-end " + key);
        Interlocked.Decrement(ref _running);
    }
}
