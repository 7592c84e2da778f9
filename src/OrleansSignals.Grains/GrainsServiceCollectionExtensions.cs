using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Grains.Reminders;
using OrleansSignals.Storage;

namespace OrleansSignals.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>What the account and workspace grains need on a silo: their PostgreSQL storage, the journal and the sweeper.</summary>
    public static IServiceCollection AddSignalsGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSignalsStorage(configuration);
        services.AddOptions<StorageOptions>().BindConfiguration("Signals:Storage").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Reminders.ReminderOptions>().BindConfiguration("Signals:Reminders").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EventJournal>();
        services.AddSingleton<TransitionWriter>();
        services.AddSingleton<AccountCheckpointStorage>();
        services.AddGrainStorage(AccountCheckpointStorage.Name, (sp, _) => sp.GetRequiredService<AccountCheckpointStorage>());
        services.AddSingleton<WorkspaceStorage>();
        services.AddGrainStorage(WorkspaceStorage.Name, (sp, _) => sp.GetRequiredService<WorkspaceStorage>());
        services.AddSingleton<AccountQueries>();
        services.AddSingleton<AccountEventLog>();
        services.AddSingleton<DueAccountSweeper>();
        services.AddSingleton<Workspaces.WorkspaceConfigCache>();
        return services;
    }
}
