using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrleansSignals.Grains.Persistence;

namespace OrleansSignals.Grains.Workspaces;

/// <summary>
/// The silo's copies of workspace configurations for account turns: asking the workspace grain on every turn was one
/// Orleans call per event (about 7% of the silo's samples during ingest). A copy is used for
/// <see cref="StorageOptions.ConfigCacheTtl"/>; the workspace grain replaces its own silo's copy the moment it changes.
/// On other silos a change reaches turns within the TTL, and accounts evaluated meanwhile stay due for the reminder
/// (their checkpoint records the older configuration version), so nothing keeps an old evaluation.
/// </summary>
public sealed class WorkspaceConfigCache(IGrainFactory grains, TimeProvider time, IOptions<StorageOptions> options)
{
    private readonly ConcurrentDictionary<string, (WorkspaceConfig Config, long FetchedAt)> _entries = new(StringComparer.Ordinal);

    public async ValueTask<WorkspaceConfig> GetAsync(string workspaceId)
    {
        if (_entries.TryGetValue(workspaceId, out var entry) && time.GetElapsedTime(entry.FetchedAt) < options.Value.ConfigCacheTtl) return entry.Config;
        var config = await grains.GetGrain<IWorkspaceGrain>(workspaceId).GetConfigAsync();
        Publish(config);
        return config;
    }

    /// <summary>A configuration this silo knows is current (the workspace grain saved it).</summary>
    public void Publish(WorkspaceConfig config)
    {
        var stamp = time.GetTimestamp();
        _entries.AddOrUpdate(config.WorkspaceId, (config, stamp),
            (_, current) => current.Config.Version > config.Version ? current : (config, stamp));
    }
}
