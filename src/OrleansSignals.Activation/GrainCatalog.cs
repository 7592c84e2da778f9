using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSignals.Activation;

/// <summary>
/// The silo's table of live activations: at most one per (interface, key), one turn at a time each,
/// dropped when idle or when told the stored state moved on elsewhere.
/// </summary>
public sealed partial class GrainCatalog(
    IServiceProvider services,
    IEnumerable<GrainRegistration> registrations,
    IOptions<ActivationOptions> options,
    TimeProvider time,
    ILogger<GrainCatalog> logger)
{
    private readonly ConcurrentDictionary<(Type Interface, string Key), GrainActivation> _activations = new();
    private readonly Dictionary<Type, Type> _implementations = registrations.ToDictionary(r => r.Interface, r => r.Implementation);

    /// <summary>How many activations this silo holds now.</summary>
    public int Count => _activations.Count;

    /// <summary>The reference already made for a live activation of that key, if any.</summary>
    internal object? ReferenceOf(Type grainInterface, string key) =>
        _activations.TryGetValue((grainInterface, key), out var activation) ? Volatile.Read(ref activation.Reference) : null;

    /// <summary>Remembers a reference on the live activation of its key (when there is one) for reuse.</summary>
    internal void KeepReference(Type grainInterface, string key, object reference)
    {
        if (_activations.TryGetValue((grainInterface, key), out var activation)) Volatile.Write(ref activation.Reference, reference);
    }

    internal object Invoke(Type grainInterface, string key, MethodInfo method, object?[] args) =>
        GrainMethodInvoker.For(method).Invoke(this, grainInterface, key, args);

    internal async Task<T> RunAsync<T>(Type grainInterface, string key, MethodInfo method, object?[] args, bool interleave)
    {
        while (true)
        {
            var activation = _activations.GetOrAdd((grainInterface, key), static (id, catalog) => catalog.Create(id.Interface, id.Key), this);
            if (!interleave) await activation.Turn.WaitAsync();
            try
            {
                // A call that queued on an activation dropped meanwhile goes round again to a fresh one.
                if (activation.Deactivated) continue;
                await ActivateAsync(grainInterface, key, activation);
                Volatile.Write(ref activation.LastUsedTimestamp, time.GetTimestamp());
                return await GrainMethodInvoker.Call<T>(method, activation.Instance, args);
            }
            finally
            {
                if (!interleave) activation.Turn.Release();
            }
        }
    }

    private async Task ActivateAsync(Type grainInterface, string key, GrainActivation activation)
    {
        try
        {
            await activation.EnsureActivatedAsync(CancellationToken.None);
        }
        catch
        {
            // A failed activation is never reused: the next call builds a new one and loads again.
            activation.Deactivated = true;
            _activations.TryRemove(new KeyValuePair<(Type, string), GrainActivation>((grainInterface, key), activation));
            throw;
        }
    }

    private GrainActivation Create(Type grainInterface, string key)
    {
        if (!_implementations.TryGetValue(grainInterface, out var implementation))
            throw new InvalidOperationException($"No grain class is registered for {grainInterface.Name}.");
        var grain = (Grain)ActivatorUtilities.CreateInstance(services, implementation);
        grain.GrainKey = key;
        return new GrainActivation(grain) { LastUsedTimestamp = time.GetTimestamp() };
    }

    /// <summary>
    /// Drops the activation of that key if this silo has one, after its current turn ends.
    /// Used when another silo wrote newer state: the next call loads it again.
    /// </summary>
    public Task DeactivateAsync<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey =>
        _activations.TryRemove((typeof(TGrainInterface), key), out var activation)
            ? DeactivateAsync(activation)
            : Task.CompletedTask;

    /// <summary>Drops every activation idle for longer than <see cref="ActivationOptions.IdleTimeout"/>.</summary>
    public async Task<int> CollectIdleAsync()
    {
        var idleSince = options.Value.IdleTimeout;
        var collected = 0;
        foreach (var (id, activation) in _activations)
        {
            if (time.GetElapsedTime(Volatile.Read(ref activation.LastUsedTimestamp)) < idleSince) continue;
            // Only an activation between turns is collected; a busy one is not idle.
            if (!activation.Turn.Wait(0)) continue;
            activation.Turn.Release();
            if (!_activations.TryRemove(new KeyValuePair<(Type, string), GrainActivation>(id, activation))) continue;
            await DeactivateAsync(activation);
            collected++;
        }
        if (collected > 0) LogCollected(collected, _activations.Count);
        return collected;
    }

    /// <summary>Drops every activation (silo shutdown).</summary>
    public async Task DeactivateAllAsync()
    {
        foreach (var id in _activations.Keys)
        {
            if (_activations.TryRemove(id, out var activation)) await DeactivateAsync(activation);
        }
    }

    private async Task DeactivateAsync(GrainActivation activation)
    {
        await activation.Turn.WaitAsync();
        try
        {
            if (activation.Deactivated) return;
            activation.Deactivated = true;
            await activation.Instance.OnDeactivateAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogDeactivationFailed(ex, activation.Instance.GrainKey);
        }
        finally
        {
            activation.Turn.Release();
        }
    }

    [LoggerMessage(LogLevel.Debug, "Collected {Collected} idle activations, {Remaining} remain")]
    private partial void LogCollected(int collected, int remaining);

    [LoggerMessage(LogLevel.Warning, "Deactivating grain {Key} failed")]
    private partial void LogDeactivationFailed(Exception ex, string key);
}
