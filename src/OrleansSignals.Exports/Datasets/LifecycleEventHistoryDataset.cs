using Npgsql;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Exports.Datasets;

/// <summary>
/// <c>lifecycle-event-history</c>: one row per transition (insight triggered or resolved, health
/// score change, lifecycle event) with <c>occurred_at</c> in the range. <c>id</c> is the transition
/// id, the same the hook carries as <c>webhook-id</c>.
/// </summary>
public sealed class LifecycleEventHistoryDataset(NpgsqlDataSource dataSource) : IExportDataset
{
    /// <summary>The dataset's columns (the Parquet benchmark writes rows of this same shape).</summary>
    public static readonly ParquetSchema Columns = new(
        new ParquetColumn("id", ParquetType.String, Nullable: false),
        new ParquetColumn("occurred_at", ParquetType.Timestamp, Nullable: false),
        new ParquetColumn("account_id", ParquetType.String, Nullable: false),
        new ParquetColumn("type", ParquetType.String, Nullable: false),
        new ParquetColumn("key", ParquetType.String),
        new ParquetColumn("old_value", ParquetType.String),
        new ParquetColumn("new_value", ParquetType.String),
        new ParquetColumn("health_score", ParquetType.Int64));

    public string Name => "lifecycle-event-history";

    public bool Ranged => true;

    public ParquetSchema Schema(ExportScope scope) => Columns;

    // Storage order (month partitions in turn), not sorted: sorting millions of rows would cost the
    // database more than the whole export; readers sort.
    public NpgsqlCommand Rows(ExportScope scope) => RangeParameters.Bind(dataSource.CreateCommand("""
        SELECT id::text, occurred_at, account_id, type, key, old_value, new_value, health_score::bigint
        FROM history
        WHERE workspace_id = $1 AND occurred_at >= $2 AND occurred_at < $3
        """), scope);

    public NpgsqlCommand Count(ExportScope scope) => RangeParameters.Bind(dataSource.CreateCommand(
        "SELECT count(*) FROM history WHERE workspace_id = $1 AND occurred_at >= $2 AND occurred_at < $3"), scope);
}
