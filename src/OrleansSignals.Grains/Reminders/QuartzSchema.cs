using OrleansSignals.Storage;

namespace OrleansSignals.Grains.Reminders;

/// <summary>
/// Quartz's own PostgreSQL schema, applied as one of our numbered migrations (under the migration lock,
/// so hosts starting together do not race creating it).
/// </summary>
internal static class QuartzSchema
{
    public const string TablePrefix = "qrtz_";

    public static MigrationScript Script()
    {
        using var stream = typeof(Quartz.IJob).Assembly.GetManifestResourceStream("Quartz.Impl.AdoJobStore.Schema.create_postgres.sql")
            ?? throw new InvalidOperationException("Quartz's PostgreSQL schema script is missing from the Quartz assembly.");
        using var reader = new StreamReader(stream);
        var sql = reader.ReadToEnd().Replace("{0}", TablePrefix).Replace("{1}", TablePrefix).Replace("--;;", ";");
        return new MigrationScript(1000, "quartz", sql);
    }
}
