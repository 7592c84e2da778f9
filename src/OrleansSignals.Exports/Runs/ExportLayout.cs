using System.Globalization;
using OrleansSignals.Exports.Formats;

namespace OrleansSignals.Exports.Runs;

/// <summary>
/// Where a run's files go: <c>{prefix}/{dataset}/year=YYYY/month=MM/day=DD/{dataset}_{run}_{part:0000}.{ext}</c>
/// and <c>_manifest_{run}.json</c> beside them (a leading underscore, so Hive-style readers skip it).
/// </summary>
public static class ExportLayout
{
    public static string Directory(ExportRun run) => string.Create(CultureInfo.InvariantCulture,
        $"{run.Destination.EffectivePrefix}/{run.Dataset}/year={run.PartitionDate.Year:0000}/month={run.PartitionDate.Month:00}/day={run.PartitionDate.Day:00}");

    public static string PartNamePrefix(ExportRun run) => $"{run.Dataset}_{run.Id}_";

    public static string PartPath(ExportRun run, int part, ExportFormat format, ExportCompression compression) =>
        string.Create(CultureInfo.InvariantCulture, $"{Directory(run)}/{PartNamePrefix(run)}{part:0000}.{ExportFormats.Extension(format, compression)}");

    public static string ManifestName(ExportRun run) => $"_manifest_{run.Id}.json";

    public static string ManifestPath(ExportRun run) => $"{Directory(run)}/{ManifestName(run)}";
}
