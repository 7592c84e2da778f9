using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansSignals.Activation;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Grains.Reminders;
using OrleansSignals.Grains.Workspaces;
using OrleansSignals.Storage;
using Quartz;

namespace OrleansSignals.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Account and workspace grains with their PostgreSQL storage.</summary>
    public static IServiceCollection AddSignalsGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSignalsStorage(configuration);
        services.AddGrainActivation();
        services.AddOptions<StorageOptions>().BindConfiguration("Signals:Storage").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<WorkspaceStore>();
        services.AddSingleton<AccountQueries>();
        services.AddSingleton<GrainChangeNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<GrainChangeNotifier>());
        services.AddSingleton(QuartzSchema.Script());
        services.AddGrain<IAccountGrain, AccountGrain>();
        services.AddGrain<IWorkspaceGrain, WorkspaceGrain>();
        services.AddOptions<ReminderOptions>().BindConfiguration("Signals:Reminders").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DueAccountSweeper>();
        return services;
    }

    /// <summary>The clustered Quartz scheduler (ADO store on the same PostgreSQL) that fires reminders.</summary>
    /// <param name="configure">More clustered jobs to schedule on the same scheduler (e.g. export schedules).</param>
    public static IServiceCollection AddSignalsReminders(this IServiceCollection services, IConfiguration configuration, Action<IQuartzBuilder>? configure = null)
    {
        var connectionString = configuration.GetConnectionString("Postgres")!;
        var interval = configuration.GetSection("Signals:Reminders").Get<ReminderOptions>()?.SweepInterval ?? new ReminderOptions().SweepInterval;
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering();
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(o => o.TablePrefix = QuartzSchema.TablePrefix);
            });
            q.ScheduleJob<DueAccountsJob>(
                trigger => trigger.WithIdentity("due-accounts", "signals").WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()),
                job => job.WithIdentity(DueAccountsJob.Key));
            configure?.Invoke(q);
        });
        services.AddHostedService<ReminderScheduler>();
        services.AddSingleton<SweepNow>();
        return services;
    }
}
